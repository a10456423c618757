package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableExpansionTest {

    private static final Map<String, String> ENV = Map.of("HOST", "127.0.0.1", "PORT", "8081", "EMPTY", "");

    private static String expand(String input) {
        return VariableExpansion.expand(input, ENV::get);
    }

    @Test
    void replacesDefinedReferences() {
        assertEquals("http://127.0.0.1:8081/", expand("http://$(HOST):$(PORT)/"));
        assertEquals("a--b", expand("a-$(EMPTY)-b"));
    }

    @Test
    void keepsUndefinedReferencesAsWritten() {
        assertEquals("$(NOPE) 8081", expand("$(NOPE) $(PORT)"));
    }

    @Test
    void doubleDollarEscapes() {
        assertEquals("$(PORT)", expand("$$(PORT)"));
        assertEquals("$8081", expand("$$$(PORT)"));
        assertEquals("cost $5", expand("cost $$5"));
    }

    @Test
    void keepsDollarsThatStartNoReference() {
        assertEquals("$HOME and $", expand("$HOME and $"));
        assertEquals("$(unclosed", expand("$(unclosed"));
        assertEquals("${PORT}", expand("${PORT}"));
    }
}
