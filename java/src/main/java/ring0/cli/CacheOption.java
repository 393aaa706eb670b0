package ring0.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import ring0.fs.hostfs.CacheMode;

/** Converts a --cache value (auto, always, none); a bad one is a usage error (status 2). */
final class CacheOption implements ITypeConverter<CacheMode> {
    /** The help text of --cache, shared by ring0 run and ring0 insexe. */
    static final String HELP = CacheMode.HELP + " See README.md, \"Files and caches\".";

    @Override
    public CacheMode convert(String value) {
        try {
            return CacheMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
