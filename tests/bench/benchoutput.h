#pragma once

// The output format every Orchestra benchmark shares: one "name value unit"
// line per figure on stdout, so runs can be diffed and parsed by scripts.

#include <QList>
#include <QString>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace orchestra::bench {

inline QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

inline void figure(const QString &name, double value, const QString &unit)
{
    const int decimals = value == qint64(value) ? 0 : (std::abs(value) < 10 ? 2 : 1);
    out() << name << ' ' << QString::number(value, 'f', decimals) << ' ' << unit << Qt::endl;
}

/// The p-quantile (0..1) of `values`, nearest-rank; 0 for no values.
inline double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, static_cast<qsizetype>(p * values.size())));
}

} // namespace orchestra::bench
