package ring0.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;

/** The options of the kernel an app runs in, shared by ring0 run and ring0 insexe (a picocli mixin). */
final class KernelOptions {
    @Option(names = "--stats", paramLabel = "FILE",
            description = "At exit, write JSON counts per system call to FILE: served by the kernel (of which passed through to the host) and sent straight to the host.")
    Path stats;

    @Option(names = "--strace", description = "Print each call the kernel serves, with decoded arguments and result, to stderr.")
    boolean strace;

    @Option(names = "--log", paramLabel = "FILE", description = "Copy the kernel log (dmesg) to FILE ('-': stderr).")
    String log;

    @Option(names = "--mount", paramLabel = "SPEC", converter = MountOption.class, description = MountOption.HELP)
    List<Mounts.Spec> mounts = new ArrayList<>();

    @Option(names = "--cache", paramLabel = "MODE", converter = CacheOption.class, description = CacheOption.HELP)
    CacheMode cache = CacheMode.AUTO;
}
