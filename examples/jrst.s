; examples/jrst.s — JRSTU, the PDP-10 counterexample: "jump and enter user mode"
; executed by a kernel that wants to start a user task.
;
; What it shows (spec/ISA.md §5, §6 JRSTU, §7):
;   The kernel prints 'K' and enters its user task with JRSTU (P := the task, M := u).
;   The task then tries OUT — privileged (§7) — so natively it traps PRIV into the
;   kernel, which prints '!' and the trap cause as a digit ('1' = PRIV) and halts:
;   output 'K', '!', '1'.
;
;   Profile jrst makes JRSTU unprivileged; in user mode it is just a jump.  A
;   trap-and-emulate VMM runs this (virtual supervisor) kernel in real user mode, so
;   JRSTU executes directly and the virtual mode stays supervisor: the task's OUT is
;   then emulated as a supervisor OUT, and HALT halts — output 'K', 'u' instead: the
;   VMM is not equivalent (JRSTU is control-sensitive but not privileged; Theorem 1's
;   condition fails).  JRSTU is not user-sensitive, so the hybrid VMM, interpreting
;   virtual supervisor mode, is equivalent (Theorem 3).  On profile pg JRSTU is
;   privileged and emulated.
;
; Run it:   bin/pgv run examples/jrst.s --profile jrst              ('K' '!' '1')
;           bin/pgv run examples/jrst.s --profile jrst --vmm        ('K' 'u': diverges)
;           bin/pgv run examples/jrst.s --profile jrst --vmm --hybrid
;           bin/pgv diff examples/jrst.s --profile jrst

        .org 4                      ; new PSW (§5): traps enter `trap`, supervisor
        .psw mode=s ie=0 pc=trap l=0 b=0xFFFFFFFF

        .org 0x10
        .entry start
start:  LI    r1, 'K'
        OUT   r1                    ; the kernel is running
        LI    r2, task
        JRSTU r2                    ; jump to the task in user mode (R unchanged)

task:   LI    r1, 'u'               ; the user task ...
        OUT   r1                    ; ... may not do I/O: natively this traps PRIV
        HALT                        ; (also privileged)

trap:   LUI   r7, 0
        LD    r1, 0(r7)             ; old PSW status word: cause in bits 8..15
        SHRI  r1, r1, 8
        ANDI  r1, r1, 0xFF
        ADDI  r1, r1, '0'           ; the cause as a digit: '1' = PRIV
        LI    r2, '!'
        OUT   r2
        OUT   r1
        HALT
