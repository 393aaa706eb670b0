// Fixture: the runtime's syscall package assembly, cut down.

#include "textflag.h"

TEXT ·Syscall6<ABIInternal>(SB),NOSPLIT,$0
	SYSCALL
	RET
