; examples/redpill.s — the "red pill": an unprivileged read of the relocation register
; (like IA-32 SIDT/SGDT/SMSW) lets a program see that it is virtualized.
;
; What it shows (spec/ISA.md §2.3, §6 RDR, §7):
;   The kernel prints its own R = (l, b) read with RDR — natively (0, q), q = 65536
;   by default — then enters a user task with LPSW under R = (TASK, SIZE).  The task
;   executes RDR itself and asks the kernel (SVC 1) to print l and b: natively TASK
;   and SIZE (0x100 = 256 and 0x20 = 32).  SVC 0 halts.
;
;   Profile redpill makes RDR unprivileged.  Under a VMM the guest runs in real user
;   mode under a real R that the VMM composed (the guest's R inside the VMM's
;   allocation), so the RDR that executes directly returns the real values:
;     - plain trap-and-emulate VMM: both the kernel's and the task's reads diverge;
;     - hybrid VMM: the kernel's read is interpreted (correct), but the task's read in
;       virtual user mode still runs directly and diverges — RDR is user-sensitive, so
;       even Theorem 3's condition fails.
;   On profile pg RDR is privileged: the task's RDR traps PRIV and the kernel prints
;   '!' and the cause digit '1' (natively and, equivalently, virtualized).
;
; Run it:   bin/pgv run examples/redpill.s --profile redpill        (0 65536 256 32)
;           bin/pgv run examples/redpill.s --profile redpill --vmm
;           bin/pgv run examples/redpill.s --profile redpill --vmm --hybrid
;           bin/pgv run examples/redpill.s                           (pg: 0 65536 '!' '1')

        .equ TASK, 0x100            ; the task's partition: l ...
        .equ SIZE, 0x20             ; ... and b
        .equ CAUSE_SVC, 4           ; §5 trap causes

        .org 4                      ; new PSW (§5): traps enter `trap`, supervisor
        .psw mode=s ie=0 pc=trap l=0 b=0xFFFFFFFF

        .org 0x10
        .entry start
start:  RDR   r1, r2                ; supervisor-mode read: r1 := l, r2 := b
        OUT   r1
        OUT   r2
        LUI   r0, 0
        LPSW  task_psw(r0)          ; enter the task: M = u, P = 0, R = (TASK, SIZE)

; Traps: SVC 1 prints the task's r1 and resumes it, SVC 0 halts; any other trap
; prints '!' and the cause as a digit, and halts.
trap:   LUI   r7, 0
        LD    r6, 0(r7)             ; old PSW status word: cause in bits 8..15
        SHRI  r6, r6, 8
        ANDI  r6, r6, 0xFF
        CMPI  r6, CAUSE_SVC
        BNE   fault
        LD    r6, 8(r7)             ; trap info = the SVC number
        CMPI  r6, 1
        BNE   stop
        OUT   r1                    ; SVC 1: print r1 ...
        LPSW  0(r7)                 ; ... and resume the task after its SVC
stop:   HALT                        ; SVC 0 (or any other): done
fault:  LI    r7, '!'
        OUT   r7
        ADDI  r6, r6, '0'
        OUT   r6
        HALT

task_psw:
        .psw mode=u ie=0 pc=0 l=TASK b=SIZE

; ---- the user task, at virtual 0 of its partition --------------------------------
        .org TASK
        RDR   r1, r2                ; the red pill: r1 := l, r2 := b
        SVC   1                     ; print l
        MOV   r1, r2
        SVC   1                     ; print b
        SVC   0                     ; exit
