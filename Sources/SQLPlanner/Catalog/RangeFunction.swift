import ColumnarCore

/// `range(stop)`, `range(start, stop[, step])` (stop excluded) and `generate_series(…)` (stop
/// included): one BIGINT column of the sequence, as DuckDB names it.
struct RangeFunction: SQLTableFunction {
    let name: String
    let inclusive: Bool

    func table(arguments: [Scalar]) throws(SQLError) -> any SQLTableProvider {
        var numbers: [Int64] = []
        for argument in arguments {
            switch argument {
            case .int8(let v): numbers.append(Int64(v))
            case .int16(let v): numbers.append(Int64(v))
            case .int32(let v): numbers.append(Int64(v))
            case .int64(let v): numbers.append(v)
            case .null: return MemoryTable(schema: Schema([Field(name, .int64)]))
            default: throw SQLError(.typeMismatch, "\(name) takes integer arguments, found \(argument)")
            }
        }
        guard (1...3).contains(numbers.count) else { throw SQLError(.syntax, "\(name) takes 1 to 3 arguments") }
        let start = numbers.count == 1 ? 0 : numbers[0]
        let stop = numbers.count == 1 ? numbers[0] : numbers[1]
        let step = numbers.count == 3 ? numbers[2] : 1
        guard step != 0 else { throw SQLError(.runtime, "\(name): the step must not be zero") }
        var values: [Int64] = []
        var value = start
        while step > 0 ? (inclusive ? value <= stop : value < stop) : (inclusive ? value >= stop : value > stop) {
            values.append(value)
            guard values.count <= 100_000_000 else { throw SQLError(.runtime, "\(name): more than 100 million rows") }
            let (next, overflow) = value.addingReportingOverflow(step)
            if overflow { break }
            value = next
        }
        let schema = Schema([Field(name, .int64, nullable: false)])
        do {
            var batches: [RecordBatch] = []
            var offset = 0
            // Batches of 64k rows, so the sequence streams like a table.
            repeat {
                let end = Swift.min(values.count, offset + 65_536)
                batches.append(try RecordBatch(schema: schema, columns: [.int64(PrimitiveColumn(Array(values[offset..<end])))], count: end - offset))
                offset = end
            } while offset < values.count
            return MemoryTable(schema: schema, batches: batches.filter { $0.count > 0 })
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }
}
