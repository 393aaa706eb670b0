package ring0.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ring0.build.BuildException;
import ring0.build.GoBuild;

/** ring0 build: go build, into a ring0 executable. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build a Go main package into a ring0 executable: go build with cgo on, "
                + "-buildmode=c-shared and Ring0's runtime patch (an -overlay made from the installed GOROOT, "
                + "cached per Go version).",
            "PKG is a package directory (absolute or relative) or an import path; other flags go to go build."},
        footer = {"", "Supported Go: go1.24, go1.25, go1.26.", "", "Example:", "  ring0 build -o app.ring0 -trimpath ./cmd/app"})
final class BuildCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "FILE", description = "Write the executable to FILE (default: the package's last import path element + .ring0).")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "[GO_BUILD_FLAGS...] PKG", description = "go build flags, then the package.")
    List<String> args;

    @Override
    public Integer call() throws UserError {
        String pkg = args.get(args.size() - 1);
        List<String> flags = args.subList(0, args.size() - 1);
        try {
            GoBuild go = GoBuild.find(Main.home());
            Path target = out;
            if (target == null) {
                String ip = go.importPath(pkg);
                target = Path.of(ip.substring(ip.lastIndexOf('/') + 1) + ".ring0");
            }
            go.build(pkg, target.toAbsolutePath(), flags);
            return 0;
        } catch (BuildException e) {
            throw new UserError(e);
        }
    }
}
