package ring0.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ring0.build.BuildException;
import ring0.build.GoBuild;
import ring0.trace.SyscallStats;

/**
 * ring0 demo: what Ring0 does, in one command. It runs examples/demo (files, a pipe, a child process,
 * HTTP on loopback, timers) in a fresh kernel with {@code ring0 run --stats}, says which system calls
 * the kernel served, then runs the side-by-side benchmark runner on Test-1 and Test-3 in its quick mode.
 * Both run as child processes: a kernel holds one app per boot, and the runner boots one per run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the built-in example Go program (examples/demo) inside the kernel, show which system calls "
                + "the kernel served, then time two benchmarks natively and in Ring0 side by side "
                + "(go run ./bench/cmd/sidebyside -quick test1 test3)."})
final class DemoCommand implements Callable<Integer> {
    /** How many of the most frequent kernel-served calls the summary names. */
    private static final int TOP = 8;

    @Option(names = "--no-bench", description = "Only run the example program, not the timing table.")
    boolean noBench;

    @Override
    public Integer call() throws Exception {
        Path home = Main.home();
        Path stats = Files.createTempFile("ring0-demo", ".json");
        try {
            System.out.println("== examples/demo, inside the kernel (ring0 run --stats FILE ./examples/demo)");
            int status = run(home, List.of(home.resolve("ring0").toString(), "run", "--stats", stats.toString(),
                    home.resolve("examples/demo").toString()));
            if (status != 0) {
                System.err.println("ring0 demo: the example program exited with status " + status);
                return status;
            }
            summarize(SyscallStats.parse(Files.readString(stats)));
        } finally {
            Files.deleteIfExists(stats);
        }
        if (noBench) {
            return 0;
        }
        System.out.println();
        System.out.println("== native vs Ring0, quick (go run ./bench/cmd/sidebyside -quick test1 test3;"
                + " bench/README.md has the full runs)");
        System.out.flush();
        try {
            String go = GoBuild.find(home).toolchain().go().toString();
            return run(home, List.of(go, "run", "./bench/cmd/sidebyside", "-quick", "test1", "test3"));
        } catch (BuildException e) {
            throw new UserError(e);
        }
    }

    private static int run(Path dir, List<String> command) throws IOException, InterruptedException {
        System.out.flush();
        return new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start().waitFor();
    }

    private static void summarize(Map<String, SyscallStats.Counts> counts) {
        long kernel = 0, passthrough = 0, host = 0;
        for (SyscallStats.Counts c : counts.values()) {
            kernel += c.kernel();
            passthrough += c.passthrough();
            host += c.host();
        }
        System.out.println();
        System.out.printf("The kernel served %d system calls (%d of them by calling the host on the app's behalf);"
                + " %d went straight to the host (memory, signals, threads).%n", kernel, passthrough, host);
        List<Map.Entry<String, SyscallStats.Counts>> served = new ArrayList<>(counts.entrySet());
        served.removeIf(e -> e.getValue().kernel() == 0);
        served.sort(Comparator.comparingLong((Map.Entry<String, SyscallStats.Counts> e) -> e.getValue().kernel()).reversed());
        StringBuilder top = new StringBuilder("Most served:");
        for (var e : served.subList(0, Math.min(TOP, served.size()))) {
            top.append(' ').append(e.getKey()).append(' ').append(e.getValue().kernel());
        }
        System.out.println(top);
    }
}
