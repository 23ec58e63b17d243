// placeholder: replaced by the simulator sources
