; examples/hello.s — the first program to run: print "Hello, pgv!" and halt.
;
; Shows the basics of the pgv assembler (spec/ASSEMBLY.md) and machine (spec/ISA.md):
; a loop that loads words from a table with LD (§6), compares with CMPI and branches
; (§3 flags), writes each word to the output channel with OUT (§6: output is a log of
; 32-bit words; `pgv run` also shows them as characters) and stops with HALT.
; The program starts in supervisor mode with R = (0, q) (§8), so the privileged OUT
; and HALT are allowed and virtual addresses are absolute.
;
; Run it:   bin/pgv run examples/hello.s
;           bin/pgv run examples/hello.s --trace      (one line per step)
;           bin/pgv run examples/hello.s --vmm        (the same, virtualized)

        .org 0x10               ; E[0..8] is low storage used by traps (§5): keep clear
start:  LUI   r1, 0             ; r1 := 0, index into the message
loop:   LD    r2, msg(r1)       ; r2 := msg[r1]
        CMPI  r2, 0             ; the message ends with a 0 word
        BEQ   done
        OUT   r2                ; append r2 to the output channel
        ADDI  r1, r1, 1
        BR    loop
done:   HALT

msg:    .word 'H', 'e', 'l', 'l', 'o', ',', ' ', 'p', 'g', 'v', '!', '\n'
        .word 0
