#include "timing.h"

namespace aie {

WriteRecord& Scoreboard::at(RegFile file, unsigned index) {
  return const_cast<WriteRecord&>(static_cast<const Scoreboard&>(*this).at(file, index));
}

const WriteRecord& Scoreboard::at(RegFile file, unsigned index) const {
  switch (file) {
    case RegFile::R: return r_[index % kScalarRegs];
    case RegFile::P: return p_[index % kPointerRegs];
    case RegFile::M: return m_[index % kModifierRegs];
    case RegFile::W: return w_[index % kVectorHalves];
    case RegFile::Cm: return cm_[index % kAccRegs];
  }
  return r_[0];
}

std::string register_name(RegFile file, unsigned index) {
  switch (file) {
    case RegFile::R: return "r" + std::to_string(index);
    case RegFile::P: return "p" + std::to_string(index);
    case RegFile::M: return "m" + std::to_string(index);
    case RegFile::W: return (index % 2 ? "wh" : "wl") + std::to_string(index / 2);
    case RegFile::Cm: return "cm" + std::to_string(index);
  }
  return "?";
}

}  // namespace aie
