# Regression: a subsection operand LLVM cannot evaluate made it abort the process
# (report_fatal_error "Cannot evaluate subsection number"); it must be an assembly error.
        .text b
