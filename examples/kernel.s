; examples/kernel.s — a tiny time-sharing supervisor: two user tasks, system calls,
; timer preemption and a memory-protection fault.
;
; What it shows (spec/ISA.md):
;   §5    trap vectors: the new PSW at E[4..7] (written with .psw) sends every trap to
;         `trap` in supervisor mode with interrupts off; the old PSW at E[0..3] and the
;         info word E[8] tell the kernel what happened and where to resume.
;   §2.3  relocation: each task runs in user mode under its own R = (l, b): task A's
;         virtual address 0 is absolute TASK_A, task B's is TASK_B, and neither can
;         address anything outside its PART words.
;   §6    LPSW enters a task (mode u, IE = 1, its P and R) in one instruction.
;   §5.4  the interval timer (STMR) preempts the running task: a TIMER trap switches to
;         the other one, saving and restoring all its registers and its PSW.
;   SVC   system calls: SVC 1 prints the task's r1 (the kernel does the OUT: OUT is
;         privileged, §7), SVC 0 ends the task.
;   BOUNDS task B deliberately stores outside its partition; the kernel prints '!' and
;         kills it.  When no task is left the kernel halts.
;
; Output: task A prints 'a'..'f', task B prints 'A'..'D', interleaved by preemption,
; and '!' when B is killed — natively (and under the VMM on profile pg) "aAbBcCdDe!f"
; after 1354 steps.
;
; Run it:   bin/pgv run examples/kernel.s
;           bin/pgv run examples/kernel.s --trace     (every step, traps included)
;           bin/pgv run examples/kernel.s --vmm       (the same kernel, virtualized)
;
; A register convention: the ISA has no store to an absolute address without a base
; register, so on a trap the kernel needs one register it may overwrite before it can
; save the others.  Like MIPS's k0, r6 belongs to the kernel: a task's r6 is lost at
; every trap (the tasks below do not use it).

; ---- constants ---------------------------------------------------------------------
        .equ QUANTUM,   60          ; timer slice, in retired instructions (§5.4)
        .equ DELAY,     12          ; busy-wait iterations between two letters
        .equ TASK_A,    0x200       ; absolute base (l) of task A's partition
        .equ TASK_B,    0x280       ; ... of task B's
        .equ PART,      0x40        ; partition size: each task's bound b

        .equ CAUSE_SVC,   4         ; trap causes (§5 table)
        .equ CAUSE_TIMER, 5
        .equ SVC_EXIT,  0           ; system call numbers (the SVC immediate)
        .equ SVC_PRINT, 1

        ; a task control block (TCB): saved PSW, saved registers, state, ring link
        .equ T_PSW,     0           ; 4 words: status, P, l, b (§5 layout)
        .equ T_REGS,    4           ; 8 words: r0..r7 (the r6 slot is unused)
        .equ T_ALIVE,   12          ; 1 while the task may run
        .equ T_NEXT,    13          ; address of the next TCB (round robin)

; ---- low storage (§5) --------------------------------------------------------------
        .org 4                      ; new PSW: every trap enters `trap`, supervisor
        .psw mode=s ie=0 pc=trap l=0 b=0xFFFFFFFF     ; mode, IE off, no relocation

; ---- the kernel ----------------------------------------------------------------------
        .org 0x10
        .entry start

start:  LUI   r5, 0                 ; r5 := 0, base register for kernel variables
        LI    r6, tcb_a             ; task A runs first
        BR    dispatch

; Every trap arrives here with the task's registers still live.
trap:   LUI   r6, 0                 ; r6 := 0 (the kernel's register, see above)
        LD    r6, current(r6)       ; r6 := TCB of the interrupted task
        ST    r0, T_REGS+0(r6)      ; save the task's registers
        ST    r1, T_REGS+1(r6)
        ST    r2, T_REGS+2(r6)
        ST    r3, T_REGS+3(r6)
        ST    r4, T_REGS+4(r6)
        ST    r5, T_REGS+5(r6)
        ST    r7, T_REGS+7(r6)
        LUI   r5, 0                 ; r5 := 0 again: low storage is absolute
        LD    r0, 0(r5)             ; copy the old PSW E[0..3] into the TCB, so that
        ST    r0, T_PSW+0(r6)       ; LPSW can resume the task exactly where it was
        LD    r0, 1(r5)
        ST    r0, T_PSW+1(r6)
        LD    r0, 2(r5)
        ST    r0, T_PSW+2(r6)
        LD    r0, 3(r5)
        ST    r0, T_PSW+3(r6)
        LD    r0, 0(r5)             ; the cause: bits 8..15 of the old status word
        SHRI  r0, r0, 8
        ANDI  r0, r0, 0xFF
        CMPI  r0, CAUSE_SVC
        BEQ   svc
        CMPI  r0, CAUSE_TIMER
        BEQ   schedule              ; preempted: give the other task a turn
        LI    r1, '!'               ; BOUNDS, PRIV, ILLEGAL: the task misbehaved
        OUT   r1
        BR    kill

svc:    LD    r0, 8(r5)             ; trap info E[8] = the SVC number
        CMPI  r0, SVC_PRINT
        BNE   kill                  ; SVC 0 (exit) or an unknown service: end the task
        LD    r1, T_REGS+1(r6)      ; SVC 1: print the task's r1 ...
        OUT   r1
        BR    restore               ; ... and resume it after its SVC (saved P = P + 1)

kill:   LUI   r0, 0
        ST    r0, T_ALIVE(r6)       ; the task in r6 will never run again

; Pick the next live task after the one in r6 (round robin); halt if there is none.
schedule:
        MOV   r4, r6                ; where the search started
next:   LD    r6, T_NEXT(r6)
        LD    r0, T_ALIVE(r6)
        CMPI  r0, 0
        BNE   dispatch              ; found one
        CMP   r6, r4
        BNE   next                  ; not yet around the ring
        HALT                        ; every task has ended

; Run the task whose TCB is in r6 for a fresh quantum.
dispatch:
        ST    r6, current(r5)
        LI    r0, QUANTUM
        STMR  r0                    ; the timer traps (TIMER) once the quantum is used
restore:                            ; reload the task's registers, then its PSW
        LD    r0, T_REGS+0(r6)
        LD    r1, T_REGS+1(r6)
        LD    r2, T_REGS+2(r6)
        LD    r3, T_REGS+3(r6)
        LD    r4, T_REGS+4(r6)
        LD    r5, T_REGS+5(r6)
        LD    r7, T_REGS+7(r6)
        LPSW  T_PSW(r6)             ; M = u, IE = 1, P and R of the task: it runs

; ---- kernel data ---------------------------------------------------------------------
current: .word 0                    ; TCB of the running task

tcb_a:  .psw mode=u ie=1 pc=0 l=TASK_A b=PART  ; task A starts at its virtual 0
        .zero 8                     ; r0..r7
        .word 1                     ; alive
        .word tcb_b                 ; next
tcb_b:  .psw mode=u ie=1 pc=0 l=TASK_B b=PART
        .zero 8
        .word 1
        .word tcb_a

; ---- task A: prints 'a'..'f', then exits ---------------------------------------------
; Assembled at its absolute place; it runs at virtual 0..PART-1 (branches are
; P-relative, so the code does not care where it is).
        .org TASK_A
        LI    r1, 'a'
        LI    r2, 6                 ; letters to print
a_next: SVC   SVC_PRINT             ; print r1
        LI    r3, DELAY
a_wait: ADDI  r3, r3, -1            ; busy-wait: the timer will preempt us
        CMPI  r3, 0
        BNE   a_wait
        ADDI  r1, r1, 1
        ADDI  r2, r2, -1
        CMPI  r2, 0
        BNE   a_next
        SVC   SVC_EXIT

; ---- task B: prints 'A'..'D', then stores outside its partition ----------------------
        .org TASK_B
        LI    r1, 'A'
        LI    r2, 4
b_next: SVC   SVC_PRINT
        LI    r3, DELAY
b_wait: ADDI  r3, r3, -1
        CMPI  r3, 0
        BNE   b_wait
        ADDI  r1, r1, 1
        ADDI  r2, r2, -1
        CMPI  r2, 0
        BNE   b_next
        LI    r4, PART              ; virtual PART is just past our bound b ...
        ST    r1, 0(r4)             ; ... so this store traps BOUNDS (§2.3): killed
        SVC   SVC_PRINT             ; never reached
