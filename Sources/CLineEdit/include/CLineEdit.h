#ifndef ENGRAM_CLINEEDIT_H
#define ENGRAM_CLINEEDIT_H

/// A small, non-variadic facade over libedit (editline + history).
///
/// Swift cannot call `el_set` or `history` because they are variadic, so every call that needs
/// them lives here. All libedit state, including the SIGINT flag, stays inside this shim.

#include <stddef.h>

typedef struct le_editor le_editor;

/// Completion callback: receives the line up to the cursor (UTF-8) and returns a malloc'd
/// UTF-8 string, or NULL for "no candidates". Its first line is text to insert at the cursor
/// (may be empty); every further line is a candidate to list under the prompt.
typedef char *_Nullable (*le_completer)(const char *_Nonnull line_before_cursor, void *_Nullable context);

/// Result of one `le_read` call.
typedef enum {
  LE_LINE = 0,         ///< a line was read
  LE_EOF = 1,          ///< end of input (Ctrl-D on an empty line)
  LE_INTERRUPTED = 2,  ///< Ctrl-C: the current input was discarded
} le_status;

/// Selects the user's locale for character classes, falling back to C.UTF-8 when the
/// environment names none, so that libedit accepts multibyte input. Returns 1 if UTF-8 is active.
int le_setup_locale(void);

/// Makes the character-type locale UTF-8 (the environment's when it is UTF-8, else C.UTF-8 or
/// en_US.UTF-8), leaving every other category (numbers, messages) alone. Returns 1 on success.
int le_setup_ctype_locale(void);

/// Columns a character takes on a terminal (the C library's wcwidth): 2 for East Asian wide,
/// 0 for combining marks, -1 for a non-printable character.
int le_wcwidth(unsigned int character);

/// Opens an editor on stdin/stdout. `history_path` may be NULL for no persistent history.
le_editor *_Nullable le_open(const char *_Nonnull program, const char *_Nullable history_path, int history_size);

/// Whether Ctrl-C was pressed since the last call or line read (while the REPL ran a command:
/// its SIGINT handler only sets a flag); clears it. Long commands check it to stop early.
int le_take_interrupt(void);

/// Installs the tab-completion callback.
void le_set_completer(le_editor *_Nonnull editor, le_completer _Nullable completer, void *_Nullable context);

/// Reads one line with `prompt`. Returns a malloc'd line without its newline when `*status` is LE_LINE, else NULL.
char *_Nullable le_read(le_editor *_Nonnull editor, const char *_Nonnull prompt, le_status *_Nonnull status);

/// Adds a line to history and saves the history file. Returns 0 on success, -1 if saving failed.
int le_history_add(le_editor *_Nonnull editor, const char *_Nonnull line);

/// Closes the editor and restores the terminal.
void le_close(le_editor *_Nullable editor);

#endif
