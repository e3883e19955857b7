#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Every C library call of the SQL functions, in one place.

func _cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
func _cLog(_ x: Double) -> Double { log(x) }
func _cLog10(_ x: Double) -> Double { log10(x) }
func _cLog2(_ x: Double) -> Double { log2(x) }
func _cExp(_ x: Double) -> Double { exp(x) }
func _cCbrt(_ x: Double) -> Double { cbrt(x) }

/// Microseconds since the Unix epoch, from the system clock.
func _cNowMicroseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
}
