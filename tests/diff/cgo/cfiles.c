// The C half of the cgo program: file calls made by libc, straight to the host, past the kernel.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "_cgo_export.h"

int c_write_file(const char *path, const char *data, int flags) {
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0) {
		return -1;
	}
	ssize_t n = write(fd, data, strlen(data));
	close(fd);
	return (int)n;
}

int c_read_file(const char *path, char *buf, int size) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		return -1;
	}
	ssize_t n = read(fd, buf, size);
	close(fd);
	return (int)n;
}

int c_unlink(const char *path) {
	return unlink(path);
}

int c_rename(const char *from, const char *to) {
	return rename(from, to);
}

// Makes a file, then calls back into Go, which looks at it.
int c_make_then_call_go(const char *path) {
	if (c_write_file(path, "made before the callback", O_TRUNC) < 0) {
		return -1;
	}
	return goLookAt((char *)path);
}
