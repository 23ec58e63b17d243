// placeholder: replaced by the assembler sources
