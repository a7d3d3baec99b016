; examples/popf.s — POPF, the IA-32 counterexample: a guest kernel that enables
; interrupts by "restoring" saved flags, and waits for a timer interrupt.
;
; What it shows (spec/ISA.md §5.4, §6 POPF, §7):
;   The kernel starts the interval timer (STMR), reads the flags word with PUSHF, sets
;   its IE bit (bit 9, §3) and loads it back with POPF — the way an OS restores saved
;   flags.  In supervisor mode POPF sets IE, so the timer's TIMER trap arrives while
;   the kernel waits: the handler records the tick and the kernel prints 'T' and how
;   many wait rounds were left.  If no interrupt arrives within 100 rounds it prints
;   'N' and 0.
;
;   Profile popf makes POPF unprivileged and, in user mode, silently leaves IE alone.
;   A trap-and-emulate VMM runs this (virtual supervisor) kernel in real user mode, so
;   there POPF executes directly, IE stays 0, the interrupt never comes: output 'N', 0
;   instead of 'T', n — equivalence fails (POPF is sensitive but not privileged:
;   Theorem 1's condition is violated).  POPF is not user-sensitive, so the hybrid VMM,
;   which interprets virtual supervisor mode, is equivalent (Theorem 3).  On profile pg
;   POPF is privileged, traps, and is emulated correctly.
;
; Run it:   bin/pgv run examples/popf.s --profile popf              ('T', n)
;           bin/pgv run examples/popf.s --profile popf --vmm        ('N', 0: diverges)
;           bin/pgv run examples/popf.s --profile popf --vmm --hybrid
;           bin/pgv diff examples/popf.s --profile popf

        .equ CAUSE_TIMER, 5         ; §5 trap causes
        .equ IE_BIT, 0x200          ; IE in the POPF/PUSHF flags word (bit 9, §3)

        .org 4                      ; new PSW (§5): traps enter `tick`, supervisor
        .psw mode=s ie=0 pc=tick l=0 b=0xFFFFFFFF

        .org 0x10
        .entry start
start:  LUI   r0, 0                 ; r0 := 0, base register for `ticks`
        LI    r1, 20
        STMR  r1                    ; the timer expires after 20 instructions (§5.4)
        PUSHF r2                    ; r2 := flags | IE << 9   (IE = 0 now)
        ORI   r2, r2, IE_BIT        ; set the saved IE bit ...
        POPF  r2                    ; ... and restore the flags: interrupts on
        LI    r3, 100               ; wait at most 100 rounds for the tick
wait:   LD    r4, ticks(r0)
        CMPI  r4, 0
        BNE   report                ; the interrupt came
        ADDI  r3, r3, -1
        CMPI  r3, 0
        BNE   wait
report: LI    r1, 'N'               ; no interrupt ...
        LD    r4, ticks(r0)
        CMPI  r4, 0
        BEQ   print
        LI    r1, 'T'               ; ... or the timer interrupt arrived
print:  OUT   r1
        OUT   r3                    ; wait rounds left when it came (0: never)
        HALT

; The trap handler: count the TIMER trap and resume the interrupted code.  It uses
; only r6 and r7, which the code above leaves alone; LPSW restores P, flags and IE.
tick:   LUI   r7, 0
        LD    r6, 0(r7)             ; old PSW status word: cause in bits 8..15
        SHRI  r6, r6, 8
        ANDI  r6, r6, 0xFF
        CMPI  r6, CAUSE_TIMER
        BNE   other
        LI    r6, 1
        ST    r6, ticks(r7)
        LPSW  0(r7)                 ; resume (the timer has stopped: T = 0)
other:  LI    r6, '?'               ; any other trap is unexpected here
        OUT   r6
        HALT

ticks:  .word 0                     ; set to 1 by the timer interrupt
