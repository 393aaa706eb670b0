package ring0.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import ring0.kernel.Kernel;

/**
 * insexe: inserts a ring0 executable into the running kernel (as insmod inserts a module).
 *
 * <p>The kernel's entry address goes into the environment (RING0_KERNEL) before dlopen: the Go
 * runtime starts on its own thread while the library loads, and it must find the kernel before the
 * first package init. It reads the environment the dynamic loader passed to the library constructor,
 * which is the current one, so setenv(3) (not System.getenv) is what reaches it.
 */
public final class Loader {
    private Loader() {}

    /**
     * The ABI this kernel speaks: the runtime patch's ring0ABI (2: the frame carries the caller's
     * priority; 3: attempt mode, the frame's flags and the shared attempt bitmap; 4: the shared
     * discard bitmap, writes Go answers itself; 5: the shared foreign and dirty words, C code's view of
     * the host file caches).
     */
    public static final int ABI = 5;

    private static final MethodHandle SETENV = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setenv").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    /**
     * Starts image in kernel: returns once the runtime is running on its own threads; the app's
     * exit status comes through {@link Kernel#awaitExit}.
     *
     * @param entry the kernel's entry point (SyscallEntry.upcallStub)
     */
    public static void insert(Kernel kernel, AppImage image, MemorySegment entry) throws LoadException {
        if (image.abi() != ABI) {
            throw new LoadException(image.path() + " was built for Ring0 ABI " + image.abi()
                    + " but this kernel speaks ABI " + ABI + ": rebuild it with this ring0");
        }
        if (!kernel.start()) {
            throw new LoadException("this kernel has already run an application (one per boot, as a Go runtime "
                    + "cannot be unloaded): start a new kernel with 'ring0 boot' to run another");
        }
        kernel.setImage(image);
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) SETENV.invokeExact(arena.allocateFrom("RING0_KERNEL"),
                    arena.allocateFrom(Long.toHexString(entry.address())), 1);
            if (rc != 0) {
                throw new LoadException("setenv failed");
            }
        } catch (LoadException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        try {
            SymbolLookup.libraryLookup(image.path(), Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LoadException("cannot load " + image.path() + ": " + e.getMessage());
        }
    }
}
