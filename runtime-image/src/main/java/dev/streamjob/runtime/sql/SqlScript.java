package dev.streamjob.runtime.sql;

import dev.streamjob.runtime.sql.SqlStatement.Kind;
import dev.streamjob.runtime.sql.SqlStatement.SetOption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Splits a Flink SQL script into statements and checks its structure, before Flink sees it.
 *
 * <p>Statements end with {@code ;}. A {@code ;} inside a string ({@code '...'}, with {@code ''} for
 * a quote), a quoted identifier ({@code `...`} or {@code "..."}), a line comment ({@code -- ...})
 * or a block comment (<code>/&#42; ... &#42;/</code>) does not end a statement. Both statement set
 * syntaxes of the Flink SQL client are accepted: {@code EXECUTE STATEMENT SET BEGIN INSERT ...;
 * INSERT ...; END;} and {@code BEGIN STATEMENT SET; INSERT ...; END;} (see "EXECUTE Statements" in
 * the Flink SQL documentation).
 *
 * <p>Structure rules, because the script becomes exactly one Flink job: at least one INSERT; no
 * queries (a SELECT would start a job of its own); only INSERTs inside a statement set; every
 * statement set closed by END.
 */
public final class SqlScript {

    private SqlScript() {}

    /**
     * Parses a script.
     *
     * @param script the script text
     * @return the statements in script order
     * @throws SqlScriptException for an unterminated string or comment, a SET without {@code =},
     *     a query, a misplaced statement set marker or a script without INSERT; the message starts
     *     with the statement's {@link SqlStatement#position()}
     */
    public static List<SqlStatement> parse(String script) throws SqlScriptException {
        List<Token> tokens = new Lexer(script).tokens();
        List<SqlStatement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int number = 0;
        for (Token token : tokens) {
            if (token.isSymbol(';')) {
                if (!current.isEmpty()) {
                    addStatements(script, ++number, current, statements);
                    current.clear();
                }
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) {
            addStatements(script, ++number, current, statements);
        }
        checkStructure(statements);
        return statements;
    }

    private static void addStatements(String script, int number, List<Token> tokens, List<SqlStatement> out)
            throws SqlScriptException {
        Token first = tokens.get(0);
        if (startsWithWords(tokens, "EXECUTE", "STATEMENT", "SET", "BEGIN")) {
            out.add(new SqlStatement(number, first.line(), Kind.BEGIN_STATEMENT_SET,
                    text(script, tokens.subList(0, 4)), Optional.empty()));
            if (tokens.size() > 4) {
                out.add(statement(script, number, tokens.subList(4, tokens.size())));
            }
            return;
        }
        out.add(statement(script, number, tokens));
    }

    private static SqlStatement statement(String script, int number, List<Token> tokens) throws SqlScriptException {
        Token first = tokens.get(0);
        int line = first.line();
        if (startsWithWords(tokens, "EXECUTE", "INSERT")) {
            tokens = tokens.subList(1, tokens.size());
            line = tokens.get(0).line();
        }
        String text = text(script, tokens);
        Kind kind = kind(tokens);
        Optional<SetOption> option = Optional.empty();
        if (kind == Kind.SET) {
            option = Optional.of(setOption(script, tokens, number, line));
        }
        return new SqlStatement(number, line, kind, text, option);
    }

    private static Kind kind(List<Token> tokens) {
        if (startsWithWords(tokens, "BEGIN", "STATEMENT", "SET") && tokens.size() == 3) {
            return Kind.BEGIN_STATEMENT_SET;
        }
        if (startsWithWords(tokens, "END") && tokens.size() == 1) {
            return Kind.END_STATEMENT_SET;
        }
        if (startsWithWords(tokens, "SET")) {
            return Kind.SET;
        }
        if (startsWithWords(tokens, "INSERT")) {
            return Kind.INSERT;
        }
        if (startsWithWords(tokens, "SELECT") || startsWithWords(tokens, "WITH")
                || startsWithWords(tokens, "VALUES") || tokens.get(0).isSymbol('(')) {
            return Kind.QUERY;
        }
        return Kind.OTHER;
    }

    /** {@code SET 'key' = 'value'}; unquoted keys and values are accepted as written. */
    private static SetOption setOption(String script, List<Token> tokens, int number, int line)
            throws SqlScriptException {
        int equals = -1;
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol('=')) {
                equals = i;
                break;
            }
        }
        if (equals < 2 || equals == tokens.size() - 1) {
            throw new SqlScriptException("statement " + number + " (line " + line
                    + "): SET needs a key and a value: SET 'key' = 'value'");
        }
        return new SetOption(
                unquoted(script, tokens.subList(1, equals)),
                unquoted(script, tokens.subList(equals + 1, tokens.size())));
    }

    private static String unquoted(String script, List<Token> tokens) {
        if (tokens.size() == 1 && tokens.get(0).type() == TokenType.QUOTED) {
            return tokens.get(0).value();
        }
        return text(script, tokens).strip();
    }

    private static void checkStructure(List<SqlStatement> statements) throws SqlScriptException {
        SqlStatement openSet = null;
        boolean hasInsert = false;
        for (SqlStatement statement : statements) {
            switch (statement.kind()) {
                case BEGIN_STATEMENT_SET -> {
                    if (openSet != null) {
                        throw new SqlScriptException(statement.position()
                                + ": statement sets cannot be nested (the one opened at "
                                + openSet.position() + " is not closed with END)");
                    }
                    openSet = statement;
                }
                case END_STATEMENT_SET -> {
                    if (openSet == null) {
                        throw new SqlScriptException(statement.position() + ": END without BEGIN STATEMENT SET");
                    }
                    openSet = null;
                }
                case INSERT -> hasInsert = true;
                case QUERY -> throw new SqlScriptException(statement.position()
                        + ": queries are not supported: a StreamJob writes its results with INSERT INTO");
                default -> {
                    if (openSet != null) {
                        throw new SqlScriptException(statement.position()
                                + ": only INSERT statements are allowed inside a statement set");
                    }
                }
            }
        }
        if (openSet != null) {
            throw new SqlScriptException(openSet.position() + ": statement set is not closed with END");
        }
        if (!hasInsert) {
            throw new SqlScriptException(
                    "the script has no INSERT statement: a StreamJob needs at least one INSERT INTO");
        }
    }

    private static boolean startsWithWords(List<Token> tokens, String... words) {
        if (tokens.size() < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            Token token = tokens.get(i);
            if (token.type() != TokenType.WORD || !token.value().toUpperCase(Locale.ROOT).equals(words[i])) {
                return false;
            }
        }
        return true;
    }

    private static String text(String script, List<Token> tokens) {
        return script.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
    }

    private enum TokenType {
        WORD,
        QUOTED,
        SYMBOL
    }

    /**
     * A token of the script: a word (letters, digits, {@code _}, {@code $}), a quoted string or
     * identifier (value unescaped), or one other character.
     *
     * @param start offset of the first character in the script
     * @param end offset after the last character (the closing quote included)
     * @param line line of the first character, from 1
     */
    private record Token(TokenType type, String value, int start, int end, int line) {
        boolean isSymbol(char symbol) {
            return type == TokenType.SYMBOL && value.charAt(0) == symbol;
        }
    }

    /** Turns a script into tokens, skipping blanks and comments and tracking line numbers. */
    private static final class Lexer {
        private final String script;
        private int offset;
        private int line = 1;

        Lexer(String script) {
            this.script = script;
        }

        List<Token> tokens() throws SqlScriptException {
            List<Token> tokens = new ArrayList<>();
            while (offset < script.length()) {
                char c = script.charAt(offset);
                if (c == '\n') {
                    line++;
                    offset++;
                } else if (Character.isWhitespace(c)) {
                    offset++;
                } else if (c == '-' && peek(1) == '-') {
                    skipLineComment();
                } else if (c == '/' && peek(1) == '*') {
                    skipBlockComment();
                } else if (c == '\'' || c == '"' || c == '`') {
                    tokens.add(quoted(c));
                } else if (isWordCharacter(c)) {
                    int start = offset;
                    while (offset < script.length() && isWordCharacter(script.charAt(offset))) {
                        offset++;
                    }
                    tokens.add(new Token(TokenType.WORD, script.substring(start, offset), start, offset, line));
                } else {
                    tokens.add(new Token(TokenType.SYMBOL, String.valueOf(c), offset, offset + 1, line));
                    offset++;
                }
            }
            return tokens;
        }

        private char peek(int ahead) {
            int index = offset + ahead;
            return index < script.length() ? script.charAt(index) : '\0';
        }

        private void skipLineComment() {
            while (offset < script.length() && script.charAt(offset) != '\n') {
                offset++;
            }
        }

        private void skipBlockComment() throws SqlScriptException {
            int startLine = line;
            offset += 2;
            while (offset < script.length()) {
                char c = script.charAt(offset);
                if (c == '*' && peek(1) == '/') {
                    offset += 2;
                    return;
                }
                if (c == '\n') {
                    line++;
                }
                offset++;
            }
            throw new SqlScriptException("line " + startLine + ": comment /* is not closed with */");
        }

        private Token quoted(char quote) throws SqlScriptException {
            int start = offset;
            int startLine = line;
            StringBuilder value = new StringBuilder();
            offset++;
            while (offset < script.length()) {
                char c = script.charAt(offset);
                if (c == quote) {
                    if (peek(1) == quote) {
                        value.append(quote);
                        offset += 2;
                        continue;
                    }
                    offset++;
                    return new Token(TokenType.QUOTED, value.toString(), start, offset, startLine);
                }
                if (c == '\n') {
                    line++;
                }
                value.append(c);
                offset++;
            }
            throw new SqlScriptException("line " + startLine + ": " + quote + " is not closed");
        }

        private static boolean isWordCharacter(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
