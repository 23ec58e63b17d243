# Every line here is refused by the source screen or the contract.
        .include "/etc/hostname"
        .incbin "/etc/passwd"
        .print "hello"
        .altmacro
        .option rvc
        .option arch, +d
        .attribute arch, "rv32imafdc"
        .macro  m
        m
        .endm
        .rept 1048576
        .rept 16
        nop
        .endr
        .endr
        .space 0x7fffffff
        .balign 0x100000
        .macro glue x
        .inc\()bin "\x"
        .endm
        ebreak
