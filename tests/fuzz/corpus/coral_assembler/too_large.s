# More code than coral_small's 8 KiB ITCM and more data than its DTCM.
        .text
_start:
        .rept 3000
        nop
        .endr
        ebreak
        .bss
big:    .space 30000
