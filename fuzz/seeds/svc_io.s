; fuzz/seeds/svc_io.s — seed: user code asks the kernel for I/O through SVC.
; SVC 1 reads a word (IN) into r1, SVC 2 writes r1 (OUT); SVC 3 ends.  The handler
; dispatches on the SVC number in E[8] and returns with LPSW of the old PSW (saved
; P = P + 1 for SVC).  Reaches: SVC in user mode, IN/OUT emulation, the input tape.
; fuzz: budget=5000 tape=1,2,3,0x200,0xFFFFFFFF
        .org 4
        .psw mode=s ie=0 pc=svc l=0 b=0xFFFFFFFF
        .org 12
upsw:   .psw mode=u ie=0 pc=user l=0 b=0xFFFFFFFF
        .org 0x18
        .entry start
start:  LUI   r0, 0
        LPSW  upsw(r0)
user:   SVC   1
        ADDI  r1, r1, 100
        SVC   2
        CMPI  r1, 99                ; IN returned 0xFFFFFFFF + 100: tape exhausted
        BNE   user
        SVC   3
svc:    LUI   r7, 0
        LD    r6, 8(r7)
        CMPI  r6, 1
        BNE   notin
        IN    r1
        LPSW  0(r7)
notin:  CMPI  r6, 2
        BNE   notout
        OUT   r1
        LPSW  0(r7)
notout: HALT
