#include "template_context.h"

namespace kc::plena_baseline {

void add_attention_templates(TemplateTable& table) { (void)table; }

}  // namespace kc::plena_baseline
