/// `call_log.csv` and `email_log.jsonl`.
extension StaffingTables {
    /// A call or an email before the log is sorted by time.
    private struct Contact {
        var moment: Int
        var candidate: Int
        var recruiter: Int
    }

    /// The keys of an `email_log.jsonl` object.
    private enum EmailKey {
        case id, sentAt, direction, subject, opened, candidate, recruiter
    }

    /// One row per call, in time order. Cold candidates get 5–14 recent calls each and were
    /// never placed; most other calls go to placed candidates (so they cluster on a few
    /// thousand people), the rest to anyone in the warm pool.
    func writeCalls(to out: StaffingFileWriter) throws {
        var random = random(.callLog)
        try out.header(["call_id", "candidate_id", "recruiter", "called_at", "duration_seconds", "disposition"])
        let total = rows(.callLog)
        var calls: [Contact] = []
        calls.reserveCapacity(total)
        for candidate in coldCandidates where calls.count < total {
            for _ in 0..<min(random.within(5...14), total - calls.count) {
                let day = Self.today - 1 - random.below(180)
                calls.append(Contact(moment: Self.businessMoment(day: day, random: &random), candidate: candidate,
                                     recruiter: random.below(Vocabulary.recruiters.count)))
            }
        }
        while calls.count < total {
            if random.chance(perMille: 850) {
                calls.append(placementContact(&random))
            } else {
                let day = Self.today - 1 - random.below(730)
                calls.append(Contact(moment: Self.businessMoment(day: day, random: &random),
                                     candidate: random.pick(warmCandidates),
                                     recruiter: random.below(Vocabulary.recruiters.count)))
            }
        }
        let dispositionChoice = WeightedChoice(weights: Vocabulary.dispositions.map(\.weight))
        for (index, call) in Self.byTime(calls).enumerated() {
            let disposition = Vocabulary.dispositions[dispositionChoice.draw(&random)].name
            let seconds: Int = switch disposition {
            case "No Answer": 0
            case "Left Voicemail": random.within(15...90)
            case "Wrong Number": random.within(5...40)
            case "Not Interested": random.within(30...300)
            case "Interested": random.within(180...1500)
            case "Scheduled Interview": random.within(300...1800)
            default: random.within(60...1200)
            }
            out.field(index + 1)
            out.field(call.candidate + 1)
            out.field(Vocabulary.recruiters[call.recruiter].name)
            out.field(timestamp: call.moment)
            out.field(seconds)
            out.field(disposition)
            try out.endRow()
        }
    }

    /// One JSON object per line, in time order, with nested `candidate` and `recruiter`
    /// objects. A few lines miss a key (`opened`, `subject` or the whole `recruiter`) and a few
    /// list their keys in another order.
    func writeEmails(to out: StaffingFileWriter) throws {
        var random = random(.emailLog)
        let total = rows(.emailLog)
        var emails: [Contact] = []
        emails.reserveCapacity(total)
        while emails.count < total {
            if random.chance(perMille: 700) {
                emails.append(placementContact(&random))
            } else {
                let day = Self.today - 1 - random.below(730)
                emails.append(Contact(moment: Self.businessMoment(day: day, random: &random),
                                      candidate: random.below(candidateEmails.count),
                                      recruiter: random.below(Vocabulary.recruiters.count)))
            }
        }
        for (index, email) in Self.byTime(emails).enumerated() {
            let outbound = random.chance(perMille: 700)
            let opened = random.chance(perMille: outbound ? 450 : 950)
            let subject = text.subject(for: StaffingText.Subject(
                title: Vocabulary.roles[candidateRoles[email.candidate]].title, years: 0, skills: [],
                city: Vocabulary.cities[candidateCities[email.candidate]].name,
                vertical: "", company: random.pick(clientNames)), random: &random)
            let recruiter = Vocabulary.recruiters[email.recruiter]
            let omitted = random.below(1000)
            let reordered = random.chance(perMille: 5)

            var keys: [EmailKey] = reordered
                ? [.candidate, .recruiter, .subject, .id, .opened, .direction, .sentAt]
                : [.id, .sentAt, .direction, .subject, .opened, .candidate, .recruiter]
            if omitted < 10 {
                keys.removeAll { $0 == .opened }
            } else if omitted < 15 {
                keys.removeAll { $0 == .subject }
            } else if omitted < 20 {
                keys.removeAll { $0 == .recruiter }
            }
            out.raw("{")
            for (n, key) in keys.enumerated() {
                if n > 0 { out.raw(",") }
                switch key {
                case .id:
                    out.raw("\"email_id\":")
                    out.jsonInteger(index + 1)
                case .sentAt:
                    out.raw("\"sent_at\":")
                    out.jsonTimestamp(email.moment)
                case .direction:
                    out.raw(outbound ? "\"direction\":\"outbound\"" : "\"direction\":\"inbound\"")
                case .subject:
                    out.raw("\"subject\":")
                    out.jsonString(subject)
                case .opened:
                    out.raw(opened ? "\"opened\":true" : "\"opened\":false")
                case .candidate:
                    out.raw("\"candidate\":{\"id\":")
                    out.jsonInteger(email.candidate + 1)
                    out.raw(",\"email\":")
                    out.jsonString(candidateEmails[email.candidate])
                    out.raw("}")
                case .recruiter:
                    out.raw("\"recruiter\":{\"name\":")
                    out.jsonString(recruiter.name)
                    out.raw(",\"team\":")
                    out.jsonString(recruiter.team)
                    out.raw("}")
                }
            }
            out.raw("}")
            try out.endLine()
        }
    }

    /// A contact with the candidate of a random placement, by its recruiter (mostly), some
    /// time between two months before the start and the end (or today).
    private func placementContact(_ random: inout StaffingRandom) -> Contact {
        let p = random.below(placementCandidates.count)
        let from = placementStarts[p] - 60
        let to = min(placementEnds[p] ?? Self.today - 1, Self.today - 1)
        let day = from + random.below(max(to - from, 0) + 1)
        let recruiter = random.chance(perMille: 800) ? placementRecruiters[p] : random.below(Vocabulary.recruiters.count)
        return Contact(moment: Self.businessMoment(day: day, random: &random), candidate: placementCandidates[p], recruiter: recruiter)
    }

    /// The contacts sorted by time; ties keep their drawing order, so the order is total.
    private static func byTime(_ contacts: [Contact]) -> [Contact] {
        contacts.indices
            .sorted { (contacts[$0].moment, $0) < (contacts[$1].moment, $1) }
            .map { contacts[$0] }
    }
}
