package ring0.abi;

/**
 * Linux errno values (asm-generic/errno-base.h, errno.h). Kernel code returns {@code -errno} as a
 * {@code long}; these are plain ints, never enums, so returning one costs nothing.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int ENOTBLK = 15;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;
    public static final int ECHRNG = 44;
    public static final int EL2NSYNC = 45;
    public static final int EL3HLT = 46;
    public static final int EL3RST = 47;
    public static final int ELNRNG = 48;
    public static final int EUNATCH = 49;
    public static final int ENOCSI = 50;
    public static final int EL2HLT = 51;
    public static final int EBADE = 52;
    public static final int EBADR = 53;
    public static final int EXFULL = 54;
    public static final int ENOANO = 55;
    public static final int EBADRQC = 56;
    public static final int EBADSLT = 57;
    public static final int EBFONT = 59;
    public static final int ENOSTR = 60;
    public static final int ENODATA = 61;
    public static final int ETIME = 62;
    public static final int ENOSR = 63;
    public static final int ENONET = 64;
    public static final int ENOPKG = 65;
    public static final int EREMOTE = 66;
    public static final int ENOLINK = 67;
    public static final int EADV = 68;
    public static final int ESRMNT = 69;
    public static final int ECOMM = 70;
    public static final int EPROTO = 71;
    public static final int EMULTIHOP = 72;
    public static final int EDOTDOT = 73;
    public static final int EBADMSG = 74;
    public static final int EOVERFLOW = 75;
    public static final int ENOTUNIQ = 76;
    public static final int EBADFD = 77;
    public static final int EREMCHG = 78;
    public static final int ELIBACC = 79;
    public static final int ELIBBAD = 80;
    public static final int ELIBSCN = 81;
    public static final int ELIBMAX = 82;
    public static final int ELIBEXEC = 83;
    public static final int EILSEQ = 84;
    public static final int ERESTART = 85;
    public static final int ESTRPIPE = 86;
    public static final int EUSERS = 87;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int ESOCKTNOSUPPORT = 94;
    public static final int EOPNOTSUPP = 95;
    public static final int EPFNOSUPPORT = 96;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENETRESET = 102;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ESHUTDOWN = 108;
    public static final int ETOOMANYREFS = 109;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ESTALE = 116;
    public static final int EUCLEAN = 117;
    public static final int ENOTNAM = 118;
    public static final int ENAVAIL = 119;
    public static final int EISNAM = 120;
    public static final int EREMOTEIO = 121;
    public static final int EDQUOT = 122;
    public static final int ENOMEDIUM = 123;
    public static final int EMEDIUMTYPE = 124;
    public static final int ECANCELED = 125;
    public static final int ENOKEY = 126;
    public static final int EKEYEXPIRED = 127;
    public static final int EKEYREVOKED = 128;
    public static final int EKEYREJECTED = 129;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;
    public static final int ERFKILL = 132;
    public static final int EHWPOISON = 133;
    /** EWOULDBLOCK is EAGAIN on Linux. */
    public static final int EWOULDBLOCK = EAGAIN;

    /** The largest errno a raw Linux result can carry: results in [-MAX_ERRNO, -1] are errors. */
    public static final int MAX_ERRNO = 4095;

    private static final String[] NAMES = new String[MAX_ERRNO + 1];
    private static final String[] MESSAGES = new String[MAX_ERRNO + 1];

    static {
        String[][] table = {
        {"EPERM", "1", "Operation not permitted"},
        {"ENOENT", "2", "No such file or directory"},
        {"ESRCH", "3", "No such process"},
        {"EINTR", "4", "Interrupted system call"},
        {"EIO", "5", "I/O error"},
        {"ENXIO", "6", "No such device or address"},
        {"E2BIG", "7", "Argument list too long"},
        {"ENOEXEC", "8", "Exec format error"},
        {"EBADF", "9", "Bad file number"},
        {"ECHILD", "10", "No child processes"},
        {"EAGAIN", "11", "Try again"},
        {"ENOMEM", "12", "Out of memory"},
        {"EACCES", "13", "Permission denied"},
        {"EFAULT", "14", "Bad address"},
        {"ENOTBLK", "15", "Block device required"},
        {"EBUSY", "16", "Device or resource busy"},
        {"EEXIST", "17", "File exists"},
        {"EXDEV", "18", "Cross-device link"},
        {"ENODEV", "19", "No such device"},
        {"ENOTDIR", "20", "Not a directory"},
        {"EISDIR", "21", "Is a directory"},
        {"EINVAL", "22", "Invalid argument"},
        {"ENFILE", "23", "File table overflow"},
        {"EMFILE", "24", "Too many open files"},
        {"ENOTTY", "25", "Not a typewriter"},
        {"ETXTBSY", "26", "Text file busy"},
        {"EFBIG", "27", "File too large"},
        {"ENOSPC", "28", "No space left on device"},
        {"ESPIPE", "29", "Illegal seek"},
        {"EROFS", "30", "Read-only file system"},
        {"EMLINK", "31", "Too many links"},
        {"EPIPE", "32", "Broken pipe"},
        {"EDOM", "33", "Math argument out of domain of func"},
        {"ERANGE", "34", "Math result not representable"},
        {"EDEADLK", "35", "Resource deadlock would occur"},
        {"ENAMETOOLONG", "36", "File name too long"},
        {"ENOLCK", "37", "No record locks available"},
        {"ENOSYS", "38", "Invalid system call number"},
        {"ENOTEMPTY", "39", "Directory not empty"},
        {"ELOOP", "40", "Too many symbolic links encountered"},
        {"ENOMSG", "42", "No message of desired type"},
        {"EIDRM", "43", "Identifier removed"},
        {"ECHRNG", "44", "Channel number out of range"},
        {"EL2NSYNC", "45", "Level 2 not synchronized"},
        {"EL3HLT", "46", "Level 3 halted"},
        {"EL3RST", "47", "Level 3 reset"},
        {"ELNRNG", "48", "Link number out of range"},
        {"EUNATCH", "49", "Protocol driver not attached"},
        {"ENOCSI", "50", "No CSI structure available"},
        {"EL2HLT", "51", "Level 2 halted"},
        {"EBADE", "52", "Invalid exchange"},
        {"EBADR", "53", "Invalid request descriptor"},
        {"EXFULL", "54", "Exchange full"},
        {"ENOANO", "55", "No anode"},
        {"EBADRQC", "56", "Invalid request code"},
        {"EBADSLT", "57", "Invalid slot"},
        {"EBFONT", "59", "Bad font file format"},
        {"ENOSTR", "60", "Device not a stream"},
        {"ENODATA", "61", "No data available"},
        {"ETIME", "62", "Timer expired"},
        {"ENOSR", "63", "Out of streams resources"},
        {"ENONET", "64", "Machine is not on the network"},
        {"ENOPKG", "65", "Package not installed"},
        {"EREMOTE", "66", "Object is remote"},
        {"ENOLINK", "67", "Link has been severed"},
        {"EADV", "68", "Advertise error"},
        {"ESRMNT", "69", "Srmount error"},
        {"ECOMM", "70", "Communication error on send"},
        {"EPROTO", "71", "Protocol error"},
        {"EMULTIHOP", "72", "Multihop attempted"},
        {"EDOTDOT", "73", "RFS specific error"},
        {"EBADMSG", "74", "Not a data message"},
        {"EOVERFLOW", "75", "Value too large for defined data type"},
        {"ENOTUNIQ", "76", "Name not unique on network"},
        {"EBADFD", "77", "File descriptor in bad state"},
        {"EREMCHG", "78", "Remote address changed"},
        {"ELIBACC", "79", "Can not access a needed shared library"},
        {"ELIBBAD", "80", "Accessing a corrupted shared library"},
        {"ELIBSCN", "81", ".lib section in a.out corrupted"},
        {"ELIBMAX", "82", "Attempting to link in too many shared libraries"},
        {"ELIBEXEC", "83", "Cannot exec a shared library directly"},
        {"EILSEQ", "84", "Illegal byte sequence"},
        {"ERESTART", "85", "Interrupted system call should be restarted"},
        {"ESTRPIPE", "86", "Streams pipe error"},
        {"EUSERS", "87", "Too many users"},
        {"ENOTSOCK", "88", "Socket operation on non-socket"},
        {"EDESTADDRREQ", "89", "Destination address required"},
        {"EMSGSIZE", "90", "Message too long"},
        {"EPROTOTYPE", "91", "Protocol wrong type for socket"},
        {"ENOPROTOOPT", "92", "Protocol not available"},
        {"EPROTONOSUPPORT", "93", "Protocol not supported"},
        {"ESOCKTNOSUPPORT", "94", "Socket type not supported"},
        {"EOPNOTSUPP", "95", "Operation not supported on transport endpoint"},
        {"EPFNOSUPPORT", "96", "Protocol family not supported"},
        {"EAFNOSUPPORT", "97", "Address family not supported by protocol"},
        {"EADDRINUSE", "98", "Address already in use"},
        {"EADDRNOTAVAIL", "99", "Cannot assign requested address"},
        {"ENETDOWN", "100", "Network is down"},
        {"ENETUNREACH", "101", "Network is unreachable"},
        {"ENETRESET", "102", "Network dropped connection because of reset"},
        {"ECONNABORTED", "103", "Software caused connection abort"},
        {"ECONNRESET", "104", "Connection reset by peer"},
        {"ENOBUFS", "105", "No buffer space available"},
        {"EISCONN", "106", "Transport endpoint is already connected"},
        {"ENOTCONN", "107", "Transport endpoint is not connected"},
        {"ESHUTDOWN", "108", "Cannot send after transport endpoint shutdown"},
        {"ETOOMANYREFS", "109", "Too many references: cannot splice"},
        {"ETIMEDOUT", "110", "Connection timed out"},
        {"ECONNREFUSED", "111", "Connection refused"},
        {"EHOSTDOWN", "112", "Host is down"},
        {"EHOSTUNREACH", "113", "No route to host"},
        {"EALREADY", "114", "Operation already in progress"},
        {"EINPROGRESS", "115", "Operation now in progress"},
        {"ESTALE", "116", "Stale file handle"},
        {"EUCLEAN", "117", "Structure needs cleaning"},
        {"ENOTNAM", "118", "Not a XENIX named type file"},
        {"ENAVAIL", "119", "No XENIX semaphores available"},
        {"EISNAM", "120", "Is a named type file"},
        {"EREMOTEIO", "121", "Remote I/O error"},
        {"EDQUOT", "122", "Quota exceeded"},
        {"ENOMEDIUM", "123", "No medium found"},
        {"EMEDIUMTYPE", "124", "Wrong medium type"},
        {"ECANCELED", "125", "Operation Canceled"},
        {"ENOKEY", "126", "Required key not available"},
        {"EKEYEXPIRED", "127", "Key has expired"},
        {"EKEYREVOKED", "128", "Key has been revoked"},
        {"EKEYREJECTED", "129", "Key was rejected by service"},
        {"EOWNERDEAD", "130", "Owner died"},
        {"ENOTRECOVERABLE", "131", "State not recoverable"},
        {"ERFKILL", "132", "Operation not possible due to RF-kill"},
        {"EHWPOISON", "133", "Memory page has hardware error"}
        };
        for (String[] row : table) {
            int v = Integer.parseInt(row[1]);
            if (NAMES[v] == null) { // EDEADLOCK and others alias an earlier name
                NAMES[v] = row[0];
                MESSAGES[v] = row[2];
            }
        }
    }

    /** True if a raw Linux result is an error ({@code -errno}). */
    public static boolean isError(long result) {
        return result < 0 && result >= -MAX_ERRNO;
    }

    /** The C name of an errno ("ENOENT"), or "E?n" when unknown. */
    public static String name(int errno) {
        String n = errno > 0 && errno <= MAX_ERRNO ? NAMES[errno] : null;
        return n != null ? n : "E?" + errno;
    }

    /** A short description of an errno, from the kernel headers ("No such file or directory"). */
    public static String message(int errno) {
        String m = errno > 0 && errno <= MAX_ERRNO ? MESSAGES[errno] : null;
        return m != null ? m : "errno " + errno;
    }
}
