// Fixture: the library entry of runtime/asm_amd64.s, cut down.

#include "textflag.h"

TEXT _rt0_amd64_lib(SB),NOSPLIT|NOFRAME,$0
	MOVQ	DI, _rt0_amd64_lib_argc<>(SB)
	MOVQ	SI, _rt0_amd64_lib_argv<>(SB)
	RET
