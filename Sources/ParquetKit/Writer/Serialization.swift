/// The writer's Thrift serialisations, in one place.
func _serialize(_ header: PageHeader) -> [UInt8] { header.thriftEncoded() }

func _serialize(_ metadata: FileMetadata) throws(ParquetError) -> [UInt8] { try metadata.thriftEncoded() }

func _serialize(_ index: ColumnIndex) throws(ParquetError) -> [UInt8] { try index.thriftEncoded() }

func _serializeOffsetIndex(_ locations: [PageLocation]) -> [UInt8] { PageLocation.offsetIndexEncoded(locations) }
