// A minimal SVG writer for the report's plots: every text goes through the markup escaper and
// every coordinate is printed with one decimal, so plots are safe and byte-identical per input.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "report_text.h"

namespace kc::report::detail {

inline std::string coordinate(double value) { return fixed(std::isfinite(value) ? value : 0.0, 1); }

// Shortens a label to `max_chars` characters (UTF-8 aware, so a name is never cut inside a
// character); the full text goes into the element's <title>.
inline std::string shortened(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars - 1) {
      std::size_t rest = 0;
      for (std::size_t j = i; j < text.size(); ++j) rest += (static_cast<unsigned char>(text[j]) & 0xC0) != 0x80;
      if (rest > 1) return text.substr(0, i) + "…";
    }
    ++chars;
  }
  return text;
}

inline std::size_t display_chars(const std::string& text) {
  std::size_t chars = 0;
  for (const char ch : text) chars += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return chars;
}

class SvgCanvas {
 public:
  SvgCanvas(const std::string& id, double width, double height, const std::string& title) {
    // Inline in HTML, so no xmlns: the page holds no URL at all.
    os_ << "<svg id=\"" << markup_escape(id) << "\" role=\"img\" viewBox=\"0 0 "
        << coordinate(width) << ' ' << coordinate(height) << "\" width=\"" << coordinate(width) << "\" height=\""
        << coordinate(height) << "\" aria-labelledby=\"" << markup_escape(id) << "-title\">\n<title id=\""
        << markup_escape(id) << "-title\">" << markup_escape(title) << "</title>\n"
        << "<rect x=\"0\" y=\"0\" width=\"" << coordinate(width) << "\" height=\"" << coordinate(height)
        << "\" fill=\"#ffffff\"/>\n";
  }

  void rect(double x, double y, double w, double h, const std::string& fill, const std::string& tooltip = "",
            const std::string& extra = "") {
    os_ << "<rect x=\"" << coordinate(x) << "\" y=\"" << coordinate(y) << "\" width=\"" << coordinate(std::max(0.0, w))
        << "\" height=\"" << coordinate(std::max(0.0, h)) << "\" fill=\"" << fill << '"' << attributes(extra);
    close_with_tooltip("rect", tooltip);
  }

  void line(double x1, double y1, double x2, double y2, const std::string& stroke, const std::string& extra = "") {
    os_ << "<line x1=\"" << coordinate(x1) << "\" y1=\"" << coordinate(y1) << "\" x2=\"" << coordinate(x2)
        << "\" y2=\"" << coordinate(y2) << "\" stroke=\"" << stroke << '"' << attributes(extra) << "/>\n";
  }

  void path(const std::string& d, const std::string& stroke, const std::string& fill, const std::string& extra = "") {
    os_ << "<path d=\"" << d << "\" stroke=\"" << stroke << "\" fill=\"" << fill << '"' << attributes(extra) << "/>\n";
  }

  // anchor: start | middle | end. `content` is plain text (escaped here).
  void text(double x, double y, const std::string& content, const std::string& anchor = "start", double size = 12,
            const std::string& extra = "", const std::string& tooltip = "") {
    os_ << "<text x=\"" << coordinate(x) << "\" y=\"" << coordinate(y) << "\" text-anchor=\"" << anchor
        << "\" font-size=\"" << coordinate(size) << '"' << attributes(extra) << '>';
    if (!tooltip.empty()) os_ << "<title>" << markup_escape(tooltip) << "</title>";
    os_ << markup_escape(content) << "</text>\n";
  }

  // Text turned by `degrees` around its anchor point (axis titles, slanted tick labels).
  void rotated_text(double x, double y, double degrees, const std::string& content, const std::string& anchor,
                    double size, const std::string& tooltip = "") {
    text(x, y, content, anchor, size,
         "transform=\"rotate(" + coordinate(degrees) + ' ' + coordinate(x) + ' ' + coordinate(y) + ")\"", tooltip);
  }

  std::string finish() {
    os_ << "</svg>\n";
    return os_.str();
  }

 private:
  static std::string attributes(const std::string& extra) { return extra.empty() ? "" : " " + extra; }

  void close_with_tooltip(const char* element, const std::string& tooltip) {
    if (tooltip.empty()) {
      os_ << "/>\n";
      return;
    }
    os_ << "><title>" << markup_escape(tooltip) << "</title></" << element << ">\n";
  }

  std::ostringstream os_;
};

// A round axis step giving about `ticks` intervals up to `max_value` (1, 2 or 5 times 10^n).
inline double nice_step(double max_value, int ticks) {
  if (!(max_value > 0)) return 1;
  const double raw = max_value / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0})
    if (raw <= factor * magnitude) return factor * magnitude;
  return 10 * magnitude;
}

}  // namespace kc::report::detail
