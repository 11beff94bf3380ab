// The external scanner of tree-sitter-opsplan: the unit after a number (pest: `unit` in
// `quantity = ${ number ~ ((" " | "\t")+ ~ unit)? }`). It must be on the number's line,
// after at least one blank, and it is never `within`, `on` or `timeout` (so that
// `check X == 5 within 2m` and `… on fail goto 3` read as in pest); a regular
// expression cannot refuse those words without cutting longer units (`onboard`) short.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <string.h>

enum TokenType { UNIT, ERROR_SENTINEL };

void *tree_sitter_opsplan_external_scanner_create(void) { return NULL; }
void tree_sitter_opsplan_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_opsplan_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_opsplan_external_scanner_deserialize(void *payload, const char *buffer,
                                                      unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static bool is_alpha(int32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_unit_char(int32_t c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '/' || c == '^' || c == '_';
}

bool tree_sitter_opsplan_external_scanner_scan(void *payload, TSLexer *lexer,
                                               const bool *valid_symbols) {
  (void)payload;
  // During error recovery every symbol is valid: a unit is not a way out of an error.
  if (valid_symbols[ERROR_SENTINEL] || !valid_symbols[UNIT]) return false;

  // At least one space or tab, no line end, no comment.
  bool blank = false;
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t') {
    lexer->advance(lexer, true);
    blank = true;
  }
  if (!blank) return false;

  if (lexer->lookahead == '%') {
    lexer->advance(lexer, false);
    lexer->mark_end(lexer);
    lexer->result_symbol = UNIT;
    return true;
  }
  if (!is_alpha(lexer->lookahead)) return false;

  // The word, kept up to 8 characters to compare with the three stop words.
  char word[9];
  unsigned len = 0;
  while (is_unit_char(lexer->lookahead)) {
    if (len < 8) word[len] = (char)lexer->lookahead;
    len++;
    lexer->advance(lexer, false);
  }
  word[len < 8 ? len : 8] = '\0';
  lexer->mark_end(lexer);

  // pest's stop word ends at a keyword boundary: not before `-` and a letter or digit.
  // LOOSER: one character of look-ahead, so a stop word followed by `-` is a unit here
  // (`5 on-` then an ERROR at `-`, where pest gives the ERROR at `on`).
  bool stop = len <= 8 &&
              (strcmp(word, "within") == 0 || strcmp(word, "on") == 0 ||
               strcmp(word, "timeout") == 0);
  if (stop && lexer->lookahead != '-') return false;
  lexer->result_symbol = UNIT;
  return true;
}
