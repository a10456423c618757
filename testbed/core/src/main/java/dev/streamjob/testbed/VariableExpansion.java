package dev.streamjob.testbed;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR_NAME)} expansion of container {@code command}, {@code args} and
 * {@code env} values (the rules of the Kubernetes API reference for {@code Container.args}):
 * a reference to a defined variable is replaced by its value; a reference to an undefined one is
 * left as written; {@code $$} is an escaped {@code $}, so {@code $$(VAR)} yields {@code $(VAR)};
 * a {@code $} that starts no reference is kept.
 */
final class VariableExpansion {

    private VariableExpansion() {
    }

    /**
     * Expands the references in {@code input}.
     *
     * @param lookup the value of a variable, or {@code null} when it is not defined
     */
    static String expand(String input, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 == input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$(");
                    i += 2;
                    continue;
                }
                String name = input.substring(i + 2, close);
                String value = lookup.apply(name);
                out.append(value != null ? value : "$(" + name + ")");
                i = close + 1;
            } else if (next == '$') {
                out.append('$');
                i += 2;
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }
}
