/// Distance kernels over contiguous float32, int8 and float16 vectors.
///
/// Each kernel has two bodies: a SIMD one (32 floats per step in four `SIMD8` accumulators, which
/// the optimiser turns into vector instructions) and a scalar one with four accumulators. Release
/// builds use the SIMD body. Debug builds use the scalar one, because unoptimised generic SIMD
/// code is some 250 times slower than the scalar loop; both bodies are public to the tests, which
/// check each against a float64 reference.
public enum DistanceKernels {
    // MARK: float32

    /// `Σ a[i]·b[i]` over `count` values.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        return dotScalar(a, b, count: count)
        #else
        return dotSIMD(a, b, count: count)
        #endif
    }

    /// `Σ (a[i] − b[i])²` over `count` values.
    @inline(__always)
    public static func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        return squaredL2Scalar(a, b, count: count)
        #else
        return squaredL2SIMD(a, b, count: count)
        #endif
    }

    public static func dotSIMD(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        // Four independent SIMD8 chains, 32 floats per step: two 128-bit registers each on baseline
        // x86-64 (within 5% of four SIMD4 chains there) and one 256-bit register each when built
        // for AVX2 (`-Xswiftc -target-cpu -Xswiftc x86-64-v3`), which doubles the width.
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i &+ 32 <= count {
            let offset = i &* 4
            s0 += ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
            s2 += ra.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self)
            s3 += ra.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self)
            i &+= 32
        }
        while i &+ 8 <= count {
            s0 += ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    public static func dotScalar(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i &+ 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i &+ 1] * b[i &+ 1]
            s2 += a[i &+ 2] * b[i &+ 2]
            s3 += a[i &+ 3] * b[i &+ 3]
            i &+= 4
        }
        while i < count {
            s0 += a[i] * b[i]
            i &+= 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    public static func squaredL2SIMD(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i &+ 32 <= count {
            let offset = i &* 4
            let d0 = ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
            let d2 = ra.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self)
            let d3 = ra.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self)
            s0 += d0 * d0
            s1 += d1 * d1
            s2 += d2 * d2
            s3 += d3 * d3
            i &+= 32
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    public static func squaredL2Scalar(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0
        var i = 0
        while i &+ 2 <= count {
            let d0 = a[i] - b[i], d1 = a[i &+ 1] - b[i &+ 1]
            s0 += d0 * d0
            s1 += d1 * d1
            i &+= 2
        }
        if i < count {
            let d = a[i] - b[i]
            s0 += d * d
        }
        return s0 + s1
    }

    /// The dot products of one row with four queries at once (`out[j] = row · q_j`), reading the
    /// row once: the inner loop of batched exact search.
    @inline(__always)
    static func dot4(_ row: UnsafePointer<Float>, _ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>,
                     _ q2: UnsafePointer<Float>, _ q3: UnsafePointer<Float>, count: Int) -> SIMD4<Float> {
        #if DEBUG
        return SIMD4(dotScalar(row, q0, count: count), dotScalar(row, q1, count: count),
                     dotScalar(row, q2, count: count), dotScalar(row, q3, count: count))
        #else
        let r = UnsafeRawPointer(row)
        let p0 = UnsafeRawPointer(q0), p1 = UnsafeRawPointer(q1), p2 = UnsafeRawPointer(q2), p3 = UnsafeRawPointer(q3)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            let offset = i &* 4
            let x = r.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s0 += x * p0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s1 += x * p1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s2 += x * p2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            s3 += x * p3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            i &+= 8
        }
        var out = SIMD4(s0.sum(), s1.sum(), s2.sum(), s3.sum())
        while i < count {
            out += SIMD4(repeating: row[i]) * SIMD4(q0[i], q1[i], q2[i], q3[i])
            i &+= 1
        }
        return out
        #endif
    }

    /// The dot products of two rows with four queries at once (`first[j] = row0 · q_j`,
    /// `second[j] = row1 · q_j`): six loads feed eight multiply-adds, where ``dot4`` needs five
    /// loads for four. Built for AVX2 this keeps both FMA ports busy in batched exact search.
    @inline(__always)
    static func dot2x4(_ row0: UnsafePointer<Float>, _ row1: UnsafePointer<Float>, _ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>,
                       _ q2: UnsafePointer<Float>, _ q3: UnsafePointer<Float>, count: Int) -> (first: SIMD4<Float>, second: SIMD4<Float>) {
        #if DEBUG
        return (dot4(row0, q0, q1, q2, q3, count: count), dot4(row1, q0, q1, q2, q3, count: count))
        #else
        let r0 = UnsafeRawPointer(row0), r1 = UnsafeRawPointer(row1)
        let p0 = UnsafeRawPointer(q0), p1 = UnsafeRawPointer(q1), p2 = UnsafeRawPointer(q2), p3 = UnsafeRawPointer(q3)
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>(), b3 = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            let offset = i &* 4
            let x = r0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let y = r1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let v0 = p0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a0 += x * v0
            b0 += y * v0
            let v1 = p1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a1 += x * v1
            b1 += y * v1
            let v2 = p2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a2 += x * v2
            b2 += y * v2
            let v3 = p3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a3 += x * v3
            b3 += y * v3
            i &+= 8
        }
        var first = SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        var second = SIMD4(b0.sum(), b1.sum(), b2.sum(), b3.sum())
        while i < count {
            let q = SIMD4(q0[i], q1[i], q2[i], q3[i])
            first += SIMD4(repeating: row0[i]) * q
            second += SIMD4(repeating: row1[i]) * q
            i &+= 1
        }
        return (first, second)
        #endif
    }

    // MARK: int8

    /// `Σ a[i]·b[i]` over int8 vectors, exact in 32 bits for any dimension below 2^17.
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        #if DEBUG
        return dotInt8Scalar(a, b, count: count)
        #else
        return dotInt8SIMD(a, b, count: count)
        #endif
    }

    public static func dotInt8SIMD(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s = SIMD16<Int32>()
        var i = 0
        while i &+ 16 <= count {
            let x = SIMD16<Int16>(truncatingIfNeeded: ra.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            let y = SIMD16<Int16>(truncatingIfNeeded: rb.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            s &+= SIMD16<Int32>(truncatingIfNeeded: x &* y)
            i &+= 16
        }
        var sum = s.wrappedSum()
        while i < count {
            sum &+= Int32(a[i]) &* Int32(b[i])
            i &+= 1
        }
        return sum
    }

    public static func dotInt8Scalar(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        var s0: Int32 = 0, s1: Int32 = 0
        var i = 0
        while i &+ 2 <= count {
            s0 &+= Int32(a[i]) &* Int32(b[i])
            s1 &+= Int32(a[i &+ 1]) &* Int32(b[i &+ 1])
            i &+= 2
        }
        if i < count { s0 &+= Int32(a[i]) &* Int32(b[i]) }
        return s0 &+ s1
    }

    // MARK: float16

    /// `Σ a[i]·b[i]` of a float16 vector and a float32 query, accumulated in float32.
    public static func dot(_ a: UnsafePointer<Float16>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        var s0: Float = 0, s1: Float = 0
        var i = 0
        while i &+ 2 <= count {
            s0 += Float(a[i]) * b[i]
            s1 += Float(a[i &+ 1]) * b[i &+ 1]
            i &+= 2
        }
        if i < count { s0 += Float(a[i]) * b[i] }
        return s0 + s1
        #else
        return dotFloat16SIMD(a, b, count: count)
        #endif
    }

    public static func dotFloat16SIMD(_ a: UnsafePointer<Float16>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            let half = ra.loadUnaligned(fromByteOffset: i &* 2, as: SIMD8<Float16>.self)
            s += SIMD8<Float>(half) * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var sum = s.sum()
        while i < count {
            sum += Float(a[i]) * b[i]
            i &+= 1
        }
        return sum
    }

    // MARK: Helpers

    /// Scales `count` values in place to unit L2 length; a zero vector stays zero.
    public static func normalize(_ v: UnsafeMutablePointer<Float>, count: Int) {
        let norm = dot(v, v, count: count).squareRoot()
        guard norm > 0, norm.isFinite else { return }
        let scale = 1 / norm
        for i in 0..<count { v[i] *= scale }
    }
}
