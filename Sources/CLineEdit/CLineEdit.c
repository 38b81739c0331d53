#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // wcwidth
#endif
#include "CLineEdit.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <histedit.h>
#include <unistd.h>
#include <wchar.h>

struct le_editor {
  EditLine *el;
  History *history;
  HistEvent event;
  char *history_path;
  char *prompt;
  le_completer completer;
  void *context;
};

static volatile sig_atomic_t le_interrupted = 0;

static void le_on_sigint(int signo) {
  (void)signo;
  le_interrupted = 1;
}

int le_setup_locale(void) {
  setlocale(LC_ALL, "");
  const char *codeset = nl_langinfo(CODESET);
  if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
    // A terminal started without LANG/LC_* gives the "C" locale, in which libedit drops every
    // non-ASCII byte. Engram's data is UTF-8, so prefer a UTF-8 character type when available.
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
      setlocale(LC_CTYPE, "en_US.UTF-8");
    }
    codeset = nl_langinfo(CODESET);
  }
  return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

int le_setup_ctype_locale(void) {
  const char *names[] = {"", "C.UTF-8", "en_US.UTF-8"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (setlocale(LC_CTYPE, names[i]) == NULL) continue;
    const char *codeset = nl_langinfo(CODESET);
    if (codeset != NULL && strcmp(codeset, "UTF-8") == 0) return 1;
  }
  return 0;
}

int le_wcwidth(unsigned int character) { return wcwidth((wchar_t)character); }

/// Reads one character for libedit. libedit's own reader retries a read interrupted by a
/// signal, so one Ctrl-C would be swallowed; this one gives up when SIGINT arrived.
static int le_getc(EditLine *el, wchar_t *out) {
  (void)el;
  char bytes[MB_LEN_MAX];
  size_t length = 0;
  for (;;) {
    unsigned char byte;
    ssize_t count = read(STDIN_FILENO, &byte, 1);
    if (count < 0) {
      if (errno == EINTR && !le_interrupted) continue;
      return -1;
    }
    if (count == 0) return 0;
    bytes[length++] = (char)byte;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    size_t result = mbrtowc(out, bytes, length, &state);
    if (result == (size_t)-2 && length < MB_LEN_MAX) continue;  // an incomplete sequence
    if (result == (size_t)-1 || result == (size_t)-2) {
      *out = (wchar_t)(unsigned char)bytes[0];  // not decodable: pass the byte through
    } else if (result == 0) {
      *out = 0;
    }
    return 1;
  }
}

static char *le_prompt(EditLine *el) {
  le_editor *editor = NULL;
  el_get(el, EL_CLIENTDATA, &editor);
  return (editor && editor->prompt) ? editor->prompt : "";
}

static void le_print_candidates(const char *list) {
  // Lay the candidates out in columns under the prompt, as shells do.
  size_t count = 0, widest = 0;
  const char *p = list;
  while (*p) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > widest) widest = len;
    count++;
    p = end ? end + 1 : p + len;
  }
  size_t column = widest + 2;
  size_t per_row = column > 0 ? 80 / column : 1;
  if (per_row == 0) per_row = 1;
  fputc('\n', stdout);
  size_t i = 0;
  p = list;
  while (*p) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    fwrite(p, 1, len, stdout);
    i++;
    if (i % per_row == 0 || i == count) {
      fputc('\n', stdout);
    } else {
      for (size_t pad = len; pad < column; pad++) fputc(' ', stdout);
    }
    p = end ? end + 1 : p + len;
  }
  fflush(stdout);
}

static unsigned char le_complete(EditLine *el, int ch) {
  (void)ch;
  le_editor *editor = NULL;
  el_get(el, EL_CLIENTDATA, &editor);
  if (editor == NULL || editor->completer == NULL) return CC_ERROR;
  const LineInfo *info = el_line(el);
  size_t length = (size_t)(info->cursor - info->buffer);
  char *before = malloc(length + 1);
  if (before == NULL) return CC_ERROR;
  memcpy(before, info->buffer, length);
  before[length] = '\0';
  char *answer = editor->completer(before, editor->context);
  free(before);
  if (answer == NULL) return CC_REFRESH_BEEP;
  char *newline = strchr(answer, '\n');
  if (newline) *newline = '\0';
  unsigned char result = CC_REFRESH;
  if (answer[0] != '\0') {
    el_insertstr(el, answer);
    result = CC_REFRESH;
  }
  if (newline && newline[1] != '\0') {
    le_print_candidates(newline + 1);
    result = CC_REDISPLAY;
  } else if (answer[0] == '\0') {
    result = CC_REFRESH_BEEP;
  }
  free(answer);
  return result;
}

/// Ctrl-C as a key (the terminal's ISIG is off while libedit edits): end the line as if Enter
/// were pressed, marked so that `le_read` discards it. Ending through the normal newline path
/// leaves libedit's terminal state exactly as after any other line.
static unsigned char le_interrupt(EditLine *el, int ch) {
  (void)ch;
  le_interrupted = 1;
  const LineInfo *info = el_line(el);
  el_cursor(el, (int)(info->lastchar - info->cursor));
  el_insertstr(el, "^C");
  return CC_NEWLINE;
}

le_editor *le_open(const char *program, const char *history_path, int history_size) {
  le_editor *editor = calloc(1, sizeof(le_editor));
  if (editor == NULL) return NULL;
  editor->history = history_init();
  if (editor->history == NULL) {
    free(editor);
    return NULL;
  }
  history(editor->history, &editor->event, H_SETSIZE, history_size);
  history(editor->history, &editor->event, H_SETUNIQUE, 1);
  if (history_path != NULL) {
    editor->history_path = strdup(history_path);
    history(editor->history, &editor->event, H_LOAD, history_path);
  }
  editor->el = el_init(program, stdin, stdout, stderr);
  if (editor->el == NULL) {
    history_end(editor->history);
    free(editor->history_path);
    free(editor);
    return NULL;
  }
  el_set(editor->el, EL_CLIENTDATA, editor);
  el_set(editor->el, EL_EDITOR, "emacs");
  el_set(editor->el, EL_HIST, history, editor->history);
  el_set(editor->el, EL_PROMPT, le_prompt);
  el_set(editor->el, EL_GETCFN, le_getc);
  el_set(editor->el, EL_ADDFN, "engram-complete", "Complete the current word", le_complete);
  el_set(editor->el, EL_BIND, "^I", "engram-complete", NULL);
  el_set(editor->el, EL_ADDFN, "engram-interrupt", "Discard the current line", le_interrupt);
  el_set(editor->el, EL_BIND, "^C", "engram-interrupt", NULL);
  el_source(editor->el, NULL);

  // Ctrl-C must discard the current input, not end the program: catch SIGINT without
  // SA_RESTART so the blocked read returns EINTR and el_gets gives up on the line.
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = le_on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, NULL);
  // A parent may have started us with SIGINT blocked (the mask is inherited); Ctrl-C must work.
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
  return editor;
}

int le_take_interrupt(void) {
  int was = le_interrupted;
  le_interrupted = 0;
  return was;
}

void le_set_completer(le_editor *editor, le_completer completer, void *context) {
  editor->completer = completer;
  editor->context = context;
}

char *le_read(le_editor *editor, const char *prompt, le_status *status) {
  free(editor->prompt);
  editor->prompt = strdup(prompt);
  le_interrupted = 0;
  int count = 0;
  const char *line = el_gets(editor->el, &count);
  if (le_interrupted) {
    // Either the Ctrl-C key (the line already ended on screen) or SIGINT mid-read.
    if (line == NULL) {
      el_reset(editor->el);
      fputs("^C\n", stdout);
      fflush(stdout);
    }
    le_interrupted = 0;
    *status = LE_INTERRUPTED;
    return NULL;
  }
  if (line == NULL || count <= 0) {
    *status = LE_EOF;
    return NULL;
  }
  size_t length = strlen(line);
  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
  char *copy = malloc(length + 1);
  if (copy == NULL) {
    *status = LE_EOF;
    return NULL;
  }
  memcpy(copy, line, length);
  copy[length] = '\0';
  *status = LE_LINE;
  return copy;
}

int le_history_add(le_editor *editor, const char *line) {
  history(editor->history, &editor->event, H_ENTER, line);
  if (editor->history_path == NULL) return 0;
  return history(editor->history, &editor->event, H_SAVE, editor->history_path) < 0 ? -1 : 0;
}

void le_close(le_editor *editor) {
  if (editor == NULL) return;
  el_end(editor->el);
  history_end(editor->history);
  free(editor->history_path);
  free(editor->prompt);
  free(editor);
  signal(SIGINT, SIG_DFL);
}
