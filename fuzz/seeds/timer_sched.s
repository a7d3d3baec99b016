; fuzz/seeds/timer_sched.s — seed: a kernel that time-slices a user program with the timer.
; The kernel arms the interval timer (STMR), enters user mode by LPSW of a prepared PSW
; with IE = 1; the user loop counts and prints; every TIMER trap enters the handler,
; which counts ticks, re-arms the timer and returns to the interrupted user code with
; LPSW of the old PSW.  After 6 ticks the handler halts.  Reaches: timer interrupts in
; user mode, LPSW in both directions, OUT, and a long run.
; fuzz: budget=10000
        .org 4
        .psw mode=s ie=0 pc=tick l=0 b=0xFFFFFFFF
        .org 12
upsw:   .psw mode=u ie=1 pc=user l=0 b=0xFFFFFFFF
        .org 0x20
        .entry start
start:  LUI   r0, 0
        LI    r1, 7
        STMR  r1                    ; first tick after 7 instructions
        LPSW  upsw(r0)              ; enter user mode, interrupts on
user:   ADDI  r2, r2, 1
        ANDI  r3, r2, 3
        CMPI  r3, 0
        BNE   user
        OUT   r2                    ; privileged in user mode: PRIV trap, skipped
        BR    user
tick:   LUI   r7, 0
        LD    r6, 0(r7)
        SHRI  r6, r6, 8
        CMPI  r6, 5                 ; TIMER?
        BEQ   timer
        LD    r6, 1(r7)             ; any other trap: skip the instruction
        ADDI  r6, r6, 1
        ST    r6, 1(r7)
        LPSW  0(r7)
timer:  LD    r6, ticks(r7)
        ADDI  r6, r6, 1
        ST    r6, ticks(r7)
        CMPI  r6, 6
        BEQ   done
        LI    r5, 9
        STMR  r5
        LPSW  0(r7)
done:   OUT   r6
        HALT
ticks:  .word 0
