; fuzz/seeds/reloc_user.s — seed: a user program under a relocation register, with bound faults.
; The kernel copies nothing: the user code sits at absolute 0x40 and runs with
; R = (0x40, 24), so its virtual addresses 0..23 map to 0x40..0x57.  It loads and
; stores inside its bound, then walks past it: each BOUNDS trap goes to the handler,
; which records the faulting address (E[8]), shrinks the bound with SETR-free LPSW
; editing of the old PSW's b, and resumes after the faulting instruction.  Reaches:
; relocation in user mode, BOUNDS traps with info, RDR, changing R through LPSW.
; fuzz: budget=10000
        .org 4
        .psw mode=s ie=0 pc=fault l=0 b=0xFFFFFFFF
        .org 12
upsw:   .psw mode=u ie=0 pc=0 l=0x40 b=24
        .org 0x18
        .entry start
start:  LUI   r0, 0
        LPSW  upsw(r0)
fault:  LUI   r7, 0
        LD    r6, 8(r7)             ; the faulting virtual address
        OUT   r6
        LD    r6, 3(r7)             ; old b
        ADDI  r6, r6, -1            ; shrink the bound by one word per fault
        ST    r6, 3(r7)
        CMPI  r6, 12
        BLT   stop
        LD    r6, 1(r7)
        ADDI  r6, r6, 1
        ST    r6, 1(r7)
        LPSW  0(r7)
stop:   RDR   r1, r2
        HALT
        .org 0x40                   ; user code, virtual address 0
        LUI   r1, 0
loop:   LD    r2, 20(r1)            ; virtual 20..: data inside the bound at first
        ADDI  r2, r2, 3
        ST    r2, 21(r1)
        ADDI  r1, r1, 1
        BR    loop
