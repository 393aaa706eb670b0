package ring0.vfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process's credentials as the file permission checks see them (Linux: struct cred): the user
 * and group ids, the supplementary groups and the effective capabilities. Read from the host once, at
 * boot: the app and the kernel are one host process, so these are the host's answer for both. An app
 * that changes its ids later (setuid goes straight to the host) is not seen.
 *
 * @param uid real user id (access(2) checks with it)
 * @param gid real group id
 * @param fsuid the user id of file accesses (Linux's fsuid: the effective uid unless setfsuid)
 * @param fsgid the group id of file accesses
 * @param groups supplementary groups, sorted
 * @param capEff effective capabilities, one bit per CAP_*
 */
public record Credentials(int uid, int gid, int fsuid, int fsgid, int[] groups, long capEff) {
    public static final int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3;
    public static final int CAP_FSETID = 4, CAP_SYS_CHROOT = 18, CAP_MKNOD = 27;

    /** Root with every capability (for tests). */
    public static final Credentials ROOT = new Credentials(0, 0, 0, 0, new int[0], -1L);

    /** The host's credentials of this process, from /proc/self/status. */
    public static Credentials ofHost() {
        String status;
        try {
            status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ROOT;
        }
        int[] uids = ints(field(status, "Uid:")), gids = ints(field(status, "Gid:"));
        int[] groups = ints(field(status, "Groups:"));
        Arrays.sort(groups);
        long cap = Long.parseUnsignedLong(field(status, "CapEff:").trim(), 16);
        return new Credentials(uids[0], gids[0], uids[3], gids[3], groups, cap);
    }

    /** The umask of this process, from /proc/self/status (0022 if the host does not say). */
    public static int hostUmask() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8);
            String u = field(status, "Umask:").trim();
            return u.isEmpty() ? 022 : Integer.parseInt(u, 8);
        } catch (IOException | NumberFormatException e) {
            return 022;
        }
    }

    public boolean capable(int cap) {
        return (capEff & (1L << cap)) != 0;
    }

    /** in_group_p: the file group is fsgid or a supplementary group. */
    public boolean inGroup(int g) {
        return g == fsgid || Arrays.binarySearch(groups, g) >= 0;
    }

    /**
     * The credentials access(2) checks with (fs/open.c: access_override_creds): the real ids; root
     * keeps its capabilities, anyone else has none.
     */
    public Credentials forAccess() {
        return new Credentials(uid, gid, uid, gid, groups, uid == 0 ? capEff : 0);
    }

    private static String field(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length());
            }
        }
        return "";
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).mapToInt(x -> (int) Long.parseLong(x)).toArray();
    }
}
