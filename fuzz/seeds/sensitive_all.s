; fuzz/seeds/sensitive_all.s — seed: every sensitive instruction once in supervisor mode,
; then again in user mode (after JRSTU), where each traps PRIV (in profile pg) and the
; generated handler skips it.  Program layout: the words sit at 48 and the generated
; handler (skip faulting instructions, count traps, halt after 40) serves the traps.
; fuzz: layout=program budget=2000 handler=0x01 limit=40 tape=7,8
        .org 48
        .entry 48
        LUI   r1, 0
        ORI   r1, r1, 0x205
        PUSHF r2
        POPF  r1
        RDPSW r3
        RDR   r4, r5
        LUI   r6, 0
        ORI   r6, r6, 500
        SETR  r0, r6
        RDTMR r3
        LI    r5, 50
        STMR  r5
        DI
        EI
        IN    r3
        OUT   r3
        LI    r4, user
        JRSTU r4
user:   PUSHF r2
        POPF  r1
        RDPSW r3
        RDR   r4, r5
        SETR  r0, r6
        RDTMR r3
        STMR  r5
        EI
        DI
        IN    r3
        OUT   r3
        LPSW  12(r0)
        HALT
