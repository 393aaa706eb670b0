// Fixture: runtime/sys_linux_amd64.s, cut down to the stubs Ring0 renames and two it leaves alone.

#include "textflag.h"

#define SYS_exit		60
#define SYS_exit_group		231

TEXT runtime·exit(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·exitThread(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·open(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·closefd(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·write1(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·read(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·pipe2(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·usleep(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·futex(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·osyield(SB),NOSPLIT,$0
	SYSCALL
	RET

TEXT runtime·gettid(SB),NOSPLIT,$0
	SYSCALL
	RET

