extension DeltaTable {
    /// The sorted row positions a deletion vector marks as deleted.
    func deletedRows(_ dv: DeletionVectorDescriptor) throws(CatalogError) -> [Int64] {
        throw CatalogError(.unsupportedFeature, "deletion vectors are not read yet", table: name)
    }
}
