package ring0.syscall;

/** Argument registers by index, for handlers that are told which argument to read (table-driven). */
final class Args {
    private Args() {}

    static long pick(int i, long a0, long a1, long a2, long a3, long a4, long a5) {
        return switch (i) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            case 5 -> a5;
            default -> throw new IllegalArgumentException("argument " + i);
        };
    }
}
