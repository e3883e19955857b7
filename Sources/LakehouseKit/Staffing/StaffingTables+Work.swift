/// `job_orders.csv`, `placements.csv` and `timesheets.csv`.
extension StaffingTables {
    /// One row per job order. Clients get job orders with Zipf-like weights over a random
    /// ranking, so a handful of clients hold a large share of the business.
    mutating func writeJobOrders(to out: StaffingFileWriter) throws {
        var random = random(.jobOrders)
        try out.header(["job_order_id", "client_id", "title", "description", "requirements", "bill_rate",
                        "pay_rate", "city", "opened_on", "status"])
        let ranking = random.permutation(clientNames.count)
        let clientChoice = WeightedChoice.zipf(count: clientNames.count)
        let statusChoice = WeightedChoice(weights: Vocabulary.jobStatuses.map(\.weight))
        var description: [UInt8] = []
        for index in 0..<rows(.jobOrders) {
            let client = ranking[clientChoice.draw(&random)]
            let vertical = Vocabulary.verticals[clientVerticals[client]]
            let role = Vocabulary.roles[random.chance(perMille: 600) ? random.pick(vertical.roles) : roleChoice.draw(&random)]
            let seniority = random.below(20)
            let title = (seniority < 4 ? "Senior " : seniority == 4 ? "Lead " : seniority < 7 ? "Junior " : "") + role.title
            let range = clientBillRange[client]
            let bill = min(max(Self.percent(random.within(role.payCents), random.within(140...180)), range.lowerBound), range.upperBound)
            let pay = Self.percent(bill, random.within(58...74))
            let city = random.chance(perMille: 800) ? clientCities[client] : cityChoice.draw(&random)
            let opened = Self.firstDay + random.below(Self.today - 3 - Self.firstDay)
            let subject = StaffingText.Subject(
                title: title, years: 0, skills: role.skills, city: Vocabulary.cities[city].name,
                vertical: vertical.name, company: clientNames[client])
            description.removeAll(keepingCapacity: true)
            text.description(for: subject, random: &random, into: &description)
            let requirements = random.permutation(role.skills.count).prefix(random.within(2...4)).map { role.skills[$0] }
                + ["\(random.within(1...8))+ years"]

            out.field(index + 1)
            out.field(client + 1)
            out.field(title)
            out.field(bytes: description)
            if random.chance(perMille: 20) { out.empty() } else { out.field(requirements.joined(separator: ";")) }
            out.field(cents: bill)
            out.field(cents: pay)
            out.field(Vocabulary.cities[city].name)
            out.field(isoDate: opened)
            out.field(Vocabulary.jobStatuses[statusChoice.draw(&random)].name)
            try out.endRow()

            jobOpened.append(opened)
            jobBill.append(bill)
            jobPay.append(pay)
        }
    }

    /// One row per placement of a candidate on a job order. Placements that started within the
    /// last year are often still running: their end_date is empty.
    mutating func writePlacements(to out: StaffingFileWriter) throws {
        var random = random(.placements)
        try out.header(["placement_id", "candidate_id", "job_order_id", "recruiter", "start_date", "end_date",
                        "bill_rate", "pay_rate"])
        for index in 0..<rows(.placements) {
            let job = random.below(jobOpened.count)
            let candidate = random.pick(warmCandidates)
            let recruiter = random.below(Vocabulary.recruiters.count)
            let start = min(jobOpened[job] + 7 + random.below(40), Self.today)
            var end: Int? = start + 7 * random.within(4...52) - 3
            if let last = end, last >= Self.today || (start >= Self.today - 365 && random.chance(perMille: 550)) {
                end = nil
            }
            var bill = jobBill[job]
            var pay = jobPay[job]
            if random.chance(perMille: 100) {
                let adjustment = random.within(95...105)
                bill = Self.percent(bill, adjustment)
                pay = Self.percent(pay, adjustment)
            }

            out.field(index + 1)
            out.field(candidate + 1)
            out.field(job + 1)
            out.field(Vocabulary.recruiters[recruiter].name)
            out.field(isoDate: start)
            if let end { out.field(isoDate: end) } else { out.empty() }
            out.field(cents: bill)
            out.field(cents: pay)
            try out.endRow()

            placementCandidates.append(candidate)
            placementRecruiters.append(recruiter)
            placementStarts.append(start)
            placementEnds.append(end)
            placementBill.append(bill)
            placementPay.append(pay)
        }
    }

    /// One row per weekly timesheet. The table's rows are shared among placements in proportion
    /// to the weeks each has run, filled from its first week on; totals are hours times the
    /// placement's rates, rounded to cents. Week endings are Saturdays in US format.
    mutating func writeTimesheets(to out: StaffingFileWriter) throws {
        var random = random(.timesheets)
        try out.header(["timesheet_id", "placement_id", "week_ending", "hours", "bill_total", "pay_total", "approved"])
        let firstWeeks = placementStarts.map(Self.saturday(onOrAfter:))
        let weeks = placementStarts.indices.map { p in
            max(1, ((placementEnds[p] ?? Self.today) - firstWeeks[p]) / 7 + 1)
        }
        let counts = Self.share(rows(.timesheets), by: weeks)
        var id = 0
        for p in placementStarts.indices {
            for k in 0..<counts[p] {
                let weekEnding = firstWeeks[p] + 7 * (k % weeks[p])
                let roll = random.below(100)
                let hundredths = roll < 62 ? 4000
                    : roll < 70 ? 3200
                    : roll < 76 ? 3750
                    : roll < 82 ? 4500
                    : roll < 86 ? 5000
                    : random.within(32...220) * 25
                let recent = weekEnding >= Self.today - 14
                id += 1
                out.field(id)
                out.field(p + 1)
                out.field(usDate: weekEnding)
                out.field(cents: hundredths)
                out.field(cents: (hundredths * placementBill[p] + 50) / 100)
                out.field(cents: (hundredths * placementPay[p] + 50) / 100)
                out.field(random.chance(perMille: recent ? 600 : 940))
                try out.endRow()
            }
        }
    }

    /// Splits `total` into parts proportional to `weights` (all positive), never giving a part
    /// more than its weight while the weights can hold the total; past that, parts grow evenly.
    static func share(_ total: Int, by weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in 0 } }
        var parts = weights.map { total >= sum ? $0 : total * $0 / sum }
        var rest = total - parts.reduce(0, +)
        var index = 0
        while rest > 0 {
            if total >= sum || parts[index] < weights[index] {
                parts[index] += 1
                rest -= 1
            }
            index = (index + 1) % parts.count
        }
        return parts
    }
}
