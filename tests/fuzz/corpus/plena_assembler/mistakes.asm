; common agent mistakes: every line is an error or warning
S_ADDI_INT gp0, gp0, 5
S_ADDI_INT gp16, gp1, 1
V_ADD_VV gp1, gp2
C_LOOP_START gp1, 4
  C_LOOP_START gp1, 2
  C_LOOP_END gp1
H_PREFETCH_V gp1, gp2, a9, 2, 0
S_LUI_INT gp2, 0x100000
S_ADDI_INT gp3, gp0, -131073
FOO gp1
M_MM 1, gp1, gp2
