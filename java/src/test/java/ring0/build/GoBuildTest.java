package ring0.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoBuildTest {
    @Test
    void theRing0TagIsAddedWhenThereIsNoTagsFlag() {
        assertEquals(List.of("-tags=ring0"), GoBuild.withTag(List.of(), "ring0"));
        assertEquals(List.of("-trimpath", "-tags=ring0"), GoBuild.withTag(List.of("-trimpath"), "ring0"));
    }

    @Test
    void theRing0TagIsMergedIntoTheUsersTags() {
        assertEquals(List.of("-tags=a,b,ring0"), GoBuild.withTag(List.of("-tags=a,b"), "ring0"));
        assertEquals(List.of("--tags=a,ring0"), GoBuild.withTag(List.of("--tags=a"), "ring0"));
        assertEquals(List.of("-tags", "a,ring0", "-v"), GoBuild.withTag(List.of("-tags", "a", "-v"), "ring0"));
        assertEquals(List.of("-tags", "a b ring0"), GoBuild.withTag(List.of("-tags", "a b"), "ring0"), "the old space-separated form");
        assertEquals(List.of("-tags=ring0"), GoBuild.withTag(List.of("-tags="), "ring0"));
    }

    @Test
    void onlyTheLastTagsFlagCountsAsGoBuildDoes() {
        assertEquals(List.of("-tags=a", "-tags=b,ring0"), GoBuild.withTag(List.of("-tags=a", "-tags=b"), "ring0"));
    }
}
