#include "template_context.h"

namespace kc::plena_baseline {

void add_matmul_templates(TemplateTable& table) { (void)table; }

}  // namespace kc::plena_baseline
