# Writes runs-pyroaring.bin: a Delta deletion-vector bitmap (portable RoaringBitmapArray format)
# whose 32-bit buckets were serialized by CRoaring (pyroaring 1.2.0) after run_optimize(), so
# they use cookie 12347, run containers and, for bucket 1, the offset header.
#   python3 -m pip install pyroaring && python3 make_run_fixture.py
# Tests/CatalogTests/DeletionVectors/RunContainerTests.swift pins what it must decode to.
import struct, zlib
import pyroaring

# Bucket 0, three containers (no offset header): a run, an array, a full run of 65536.
low0 = list(range(100, 300)) + [65536 + 7, 65536 + 9] + list(range(131072, 131072 + 65536))
# Bucket 1, five containers (offset header): a run, an array, a bitmap, a run, an array.
low1 = (list(range(10, 5000)) + [65536 + 1, 65536 + 40000]
        + [2 * 65536 + v for v in range(0, 10000, 2)]
        + [3 * 65536 + v for v in range(60000, 65536)] + [4 * 65536 + 65535])

out = struct.pack("<IQ", 1681511377, 2)
for key, values in ((0, low0), (1, low1)):
    bitmap = pyroaring.BitMap(values)
    bitmap.run_optimize()
    serialized = bitmap.serialize()
    assert struct.unpack_from("<I", serialized)[0] & 0xFFFF == 12347
    out += struct.pack("<I", key) + serialized
open("runs-pyroaring.bin", "wb").write(out)

# The same rows without runs, as a writer that uses only array and bitmap containers writes them.
plain = struct.pack("<IQ", 1681511377, 2)
for key, values in ((0, low0), (1, low1)):
    plain += struct.pack("<I", key) + pyroaring.BitMap(values, optimize=False).serialize()
print("runs:", len(out), "bytes, crc32", hex(zlib.crc32(out)))
print("plain:", len(plain), "bytes, crc32", hex(zlib.crc32(plain)))
