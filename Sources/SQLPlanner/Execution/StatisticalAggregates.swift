import ColumnarCore

/// The statistical aggregates over DOUBLE arguments: skewness, kurtosis, sem, geomean, the Kahan
/// sums, covariances, correlation and the `regr_*` family.
///
/// Each group's rows feed a small accumulator read straight from the `Double` buffers; the
/// results follow DuckDB's formulas (and its NULLs: too few rows or a zero variance give NULL).
enum StatisticalAggregates {
    /// Whether `function` is computed here.
    static func handles(_ function: BoundAggregate.Function) -> Bool {
        switch function {
        case .skewness, .kurtosisSample, .kurtosisPopulation, .standardError, .geometricMean, .kahanSum, .kahanAverage,
             .covariancePopulation, .covarianceSample, .correlation, .regrCount, .regrAverageX, .regrAverageY,
             .regrSlope, .regrIntercept, .regrR2, .regrSXX, .regrSYY, .regrSXY:
            return true
        default:
            return false
        }
    }

    /// One value per group (`groups[g]` lists the rows of group g): BIGINT for regr_count, DOUBLE
    /// otherwise.
    static func column(_ function: BoundAggregate.Function, _ arguments: [Column], groups: [[UInt32]]) throws -> Column {
        let inputs = try arguments.map { argument -> PrimitiveColumn<Double> in
            let column = argument.dataType == .float64 ? argument : try Kernels.cast(argument, to: .float64)
            guard let doubles = column.primitive(as: Double.self) else { throw SQLError(.internalError, "\(function.rawValue) argument did not become DOUBLE") }
            return doubles
        }
        if function == .regrCount {
            let counts = groups.map { rows in Int64(Pairs(inputs[0], inputs[1], rows).count) }
            return .int64(PrimitiveColumn(counts))
        }
        var results = [Double?](repeating: nil, count: groups.count)
        for (g, rows) in groups.enumerated() {
            results[g] = inputs.count == 2
                ? try binary(function, Pairs(inputs[0], inputs[1], rows))
                : try unary(function, inputs[0], rows)
        }
        return .float64(PrimitiveColumn(results))
    }

    // MARK: One argument

    /// The value of a one-argument statistic over the non-null values at `rows`.
    static func unary(_ function: BoundAggregate.Function, _ input: PrimitiveColumn<Double>, _ rows: [UInt32]) throws -> Double? {
        let values = input.values, validity = input.validity
        switch function {
        case .skewness, .kurtosisSample, .kurtosisPopulation:
            var sums = PowerSums()
            for row in rows where validity?[Int(row)] ?? true { sums.add(values[Int(row)]) }
            return function == .skewness ? try sums.skewness() : try sums.kurtosis(sample: function == .kurtosisSample)
        case .standardError:
            var moments = Moments()
            for row in rows where validity?[Int(row)] ?? true { moments.add(values[Int(row)]) }
            guard moments.count > 0 else { return nil }
            return (moments.squaredDeviations / moments.count).squareRoot() / moments.count.squareRoot()
        case .geometricMean:
            var logSum = 0.0, count = 0.0
            for row in rows where validity?[Int(row)] ?? true {
                logSum += _cLog(values[Int(row)])
                count += 1
            }
            return count > 0 ? _cExp(logSum / count) : nil
        case .kahanSum, .kahanAverage:
            // Kahan's compensated sum: `compensation` holds the low-order bits the sum lost.
            var sum = 0.0, compensation = 0.0, count = 0.0
            for row in rows where validity?[Int(row)] ?? true {
                let corrected = values[Int(row)] - compensation
                let next = sum + corrected
                compensation = (next - sum) - corrected
                sum = next
                count += 1
            }
            guard count > 0 else { return nil }
            return function == .kahanSum ? sum - compensation : sum / count - compensation / count
        default:
            throw SQLError(.internalError, "\(function.rawValue) is not a one-argument statistic")
        }
    }

    /// Running sums of the first four powers (DuckDB's skewness and kurtosis state).
    struct PowerSums {
        var n = 0.0, sum = 0.0, squares = 0.0, cubes = 0.0, fourths = 0.0

        mutating func add(_ x: Double) {
            n += 1
            sum += x
            squares += _cPow(x, 2)
            cubes += _cPow(x, 3)
            fourths += _cPow(x, 4)
        }

        /// Sample skewness (NULL under three values or without variance).
        func skewness() throws -> Double? {
            guard n > 2 else { return nil }
            let inverse = 1 / n
            let spread = Swift.max(0, _cPow(inverse * (squares - sum * sum * inverse), 3)).squareRoot()
            guard spread != 0 else { return nil }
            let correction = (n * (n - 1)).squareRoot() / (n - 2)
            let result = correction * inverse * (cubes - 3 * squares * sum * inverse + 2 * _cPow(sum, 3) * inverse * inverse) / spread
            guard result.isFinite else { throw SQLError(.runtime, "out of range: skewness is not a finite number") }
            return result
        }

        /// Excess kurtosis, bias-corrected (`sample`, NULL under four values) or of the population
        /// (NULL under two values); NULL without variance.
        func kurtosis(sample: Bool) throws -> Double? {
            guard n > (sample ? 3 : 1) else { return nil }
            let inverse = 1 / n
            guard squares - sum * sum * inverse != 0 else { return nil }
            let m4 = inverse * (fourths - 4 * cubes * sum * inverse + 6 * squares * sum * sum * inverse * inverse
                - 3 * _cPow(sum, 4) * _cPow(inverse, 3))
            let m2 = inverse * (squares - sum * sum * inverse)
            // As DuckDB: a NaN m2 (overflowed sums) goes on to the out-of-range error.
            guard !(m2 <= 0) else { return nil }
            let result = sample
                ? (n - 1) * ((n + 1) * m4 / (m2 * m2) - 3 * (n - 1)) / ((n - 2) * (n - 3))
                : m4 / (m2 * m2) - 3
            guard result.isFinite else { throw SQLError(.runtime, "out of range: kurtosis is not a finite number") }
            return result
        }
    }

    /// Count, mean and sum of squared deviations by Welford's update.
    struct Moments {
        var count = 0.0, mean = 0.0, squaredDeviations = 0.0

        mutating func add(_ x: Double) {
            count += 1
            let step = (x - mean) / count
            let next = mean + step
            squaredDeviations += (x - next) * (x - mean)
            mean = next
        }

        /// The population variance (0 for a single value).
        var populationVariance: Double { count > 1 ? squaredDeviations / count : 0 }
    }

    // MARK: Two arguments

    /// The rows of a group where both `y` and `x` are present.
    struct Pairs {
        let y: PrimitiveColumn<Double>, x: PrimitiveColumn<Double>, rows: [UInt32]

        init(_ y: PrimitiveColumn<Double>, _ x: PrimitiveColumn<Double>, _ rows: [UInt32]) {
            self.y = y
            self.x = x
            self.rows = rows
        }

        /// Calls `body` with each complete pair, in row order.
        func forEach(_ body: (_ y: Double, _ x: Double) -> Void) {
            let yValues = y.values, xValues = x.values
            let yValidity = y.validity, xValidity = x.validity
            for row in rows {
                let r = Int(row)
                guard yValidity?[r] ?? true, xValidity?[r] ?? true else { continue }
                body(yValues[r], xValues[r])
            }
        }

        /// The number of complete pairs.
        var count: Int {
            var n = 0
            forEach { _, _ in n += 1 }
            return n
        }
    }

    /// The value of a two-argument statistic over the pairs.
    static func binary(_ function: BoundAggregate.Function, _ pairs: Pairs) throws -> Double? {
        var x = Moments(), y = Moments()
        var sumX = 0.0, sumY = 0.0
        // The co-moment Σ(x - mean x)(y - mean y), updated as DuckDB's covariance does.
        var count = 0.0, meanX = 0.0, meanY = 0.0, coMoment = 0.0
        pairs.forEach { yValue, xValue in
            count += 1
            let dx = xValue - meanX
            meanX += dx / count
            meanY += (yValue - meanY) / count
            coMoment += dx * (yValue - meanY)
            x.add(xValue)
            y.add(yValue)
            sumX += xValue
            sumY += yValue
        }
        guard count > 0 else { return nil }
        let covariance = coMoment / count
        switch function {
        case .covariancePopulation: return covariance
        case .covarianceSample: return count > 1 ? coMoment / (count - 1) : nil
        case .regrAverageX: return sumX / count
        case .regrAverageY: return sumY / count
        case .regrSXX: return count * x.populationVariance
        case .regrSYY: return count * y.populationVariance
        case .regrSXY: return count * covariance
        case .regrSlope: return covariance / x.populationVariance
        case .regrIntercept:
            guard x.populationVariance != 0 else { return nil }
            return sumY / count - covariance / x.populationVariance * (sumX / count)
        case .correlation:
            return correlation(covariance, x, y)
        case .regrR2:
            guard x.populationVariance != 0 else { return nil }
            guard y.populationVariance != 0 else { return 1 }
            return correlation(covariance, x, y).map { $0 * $0 }
        default:
            throw SQLError(.internalError, "\(function.rawValue) is not a two-argument statistic")
        }
    }

    /// Pearson's correlation from the population covariance and each side's moments (NULL when
    /// either side has no spread).
    static func correlation(_ covariance: Double, _ x: Moments, _ y: Moments) -> Double? {
        let spread = x.populationVariance.squareRoot() * y.populationVariance.squareRoot()
        return spread == 0 ? nil : covariance / spread
    }
}
