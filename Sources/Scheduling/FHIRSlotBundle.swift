import Foundation
import IntakeCore

/// Reads a FHIR R4 Bundle of Slot resources. Each Slot's `schedule` reference is resolved
/// within the bundle; the Schedule's `actor` references give the Practitioner (provider and
/// languages), Location and HealthcareService. The service comes from the Slot's
/// `serviceType`/`specialty`, else the Schedule's, else the HealthcareService's.
/// Only `free` slots are imported; `busy*` slots are listed as unavailable.
enum FHIRSlotBundle {
    typealias Resource = [String: Any]

    static func parse(_ bundle: Resource) -> Result<SlotBatch, SlotImportFailure> {
        guard let entries = bundle["entry"] as? [Any] else {
            return .failure(SlotImport.documentIssue("the Bundle has no entry array"))
        }
        guard entries.count <= SlotImport.maxRecords else {
            return .failure(SlotImport.documentIssue("more than \(SlotImport.maxRecords) entries"))
        }
        let index = resourceIndex(entries)
        var batch = SlotBatch(free: [], unavailable: [])
        var issues: [(index: Int, message: String)] = []
        var seen = Set<String>()
        for (n, entry) in entries.enumerated() {
            guard let resource = (entry as? Resource)?["resource"] as? Resource else {
                issues.append((n, "entry has no resource"))
                continue
            }
            guard resource["resourceType"] as? String == "Slot" else { continue }
            switch slot(resource, index: index) {
            case .failure(let problem): issues.append((n, problem.text))
            case .success(.unavailable(let id)): batch.unavailable.append(id)
            case .success(.free(let s)):
                if seen.insert(s.id).inserted { batch.free.append(s) } else { issues.append((n, "duplicate id \(s.id)")) }
            }
        }
        if !issues.isEmpty { return .failure(SlotImport.capped(issues)) }
        return .success(batch)
    }

    enum Outcome { case free(Slot), unavailable(String) }

    static func slot(_ r: Resource, index: [String: Resource]) -> Result<Outcome, SlotImport.Problem> {
        typealias P = SlotImport.Problem
        guard let id = SlotImport.nonEmpty(r["id"]) else { return .failure(P("Slot id is missing")) }
        guard let status = r["status"] as? String else { return .failure(P("Slot status is missing")) }
        switch status {
        case "free": break
        case "busy", "busy-unavailable", "busy-tentative", "entered-in-error": return .success(.unavailable(id))
        default: return .failure(P("Slot status \(status) is not a FHIR slot status"))
        }
        guard let start = (r["start"] as? String).flatMap(Timestamps.parse) else {
            return .failure(P("Slot start is missing or not an RFC 3339 time"))
        }
        guard let end = (r["end"] as? String).flatMap(Timestamps.parse) else {
            return .failure(P("Slot end is missing or not an RFC 3339 time"))
        }
        guard end > start else { return .failure(P("Slot end is not after start")) }
        var schedule: Resource?
        if let ref = (r["schedule"] as? Resource)?["reference"] as? String {
            guard let found = index[ref] else { return .failure(P("schedule reference \(ref) is not in the bundle")) }
            schedule = found
        }
        var actors: [String: Resource] = [:]
        for actor in (schedule?["actor"] as? [Any]) ?? [] {
            guard let ref = (actor as? Resource)?["reference"] as? String else { continue }
            guard let found = index[ref] else { return .failure(P("actor reference \(ref) is not in the bundle")) }
            if let type = found["resourceType"] as? String { actors[type] = found }
        }
        let healthcare = actors["HealthcareService"]
        let service = serviceLabel(r) ?? schedule.flatMap { serviceLabel($0) }
            ?? healthcare.flatMap { serviceLabel($0, keys: ["type", "specialty", "category"]) }
            ?? (healthcare?["name"] as? String).map(ServiceNames.label)
        guard let service else { return .failure(P("no service: set serviceType or specialty")) }
        let practitioner = actors["Practitioner"]
        return .success(.free(Slot(id: id, service: service,
                                   provider: practitioner.flatMap(personName),
                                   location: (actors["Location"]?["name"] as? String),
                                   start: start, end: end,
                                   languages: practitioner.flatMap(languages),
                                   newPatients: newPatientFlag(r))))
    }

    /// Resources by `Type/id` and by `fullUrl`, so both reference styles resolve.
    static func resourceIndex(_ entries: [Any]) -> [String: Resource] {
        var index: [String: Resource] = [:]
        for case let entry as Resource in entries {
            guard let r = entry["resource"] as? Resource else { continue }
            if let type = r["resourceType"] as? String, let id = r["id"] as? String { index["\(type)/\(id)"] = r }
            if let url = entry["fullUrl"] as? String { index[url] = r }
        }
        return index
    }

    /// The service label from the first coding or text of the given CodeableConcept lists.
    static func serviceLabel(_ r: Resource, keys: [String] = ["serviceType", "specialty"]) -> String? {
        for key in keys {
            for case let concept as Resource in (r[key] as? [Any]) ?? [] {
                // R5 wraps serviceType in a CodeableReference; accept both shapes.
                let cc = (concept["concept"] as? Resource) ?? concept
                for case let coding as Resource in (cc["coding"] as? [Any]) ?? [] {
                    if let code = coding["code"] as? String, let label = ServiceNames.fromCode(code) { return label }
                    if let display = coding["display"] as? String { return ServiceNames.label(display) }
                }
                if let text = cc["text"] as? String { return ServiceNames.label(text) }
            }
        }
        return nil
    }

    /// `name[0].text`, or given and family names joined, with a prefix ("Dr.") if given.
    static func personName(_ r: Resource) -> String? {
        guard let name = (r["name"] as? [Any])?.first as? Resource else { return nil }
        if let text = name["text"] as? String { return text }
        let parts = ((name["prefix"] as? [String]) ?? []) + ((name["given"] as? [String]) ?? [])
            + [(name["family"] as? String)].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Practitioner.communication language codes ("es", "en-US" → "en").
    static func languages(_ r: Resource) -> [String]? {
        var out: [String] = []
        for case let c as Resource in (r["communication"] as? [Any]) ?? [] {
            let cc = (c["language"] as? Resource) ?? c
            for case let coding as Resource in (cc["coding"] as? [Any]) ?? [] {
                if let code = coding["code"] as? String {
                    out.append(String(code.lowercased().prefix { $0 != "-" }))
                }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// An extension or `appointmentType` saying whether new patients may book; nil if silent.
    static func newPatientFlag(_ r: Resource) -> Bool? {
        for case let ext as Resource in (r["extension"] as? [Any]) ?? [] {
            if let url = ext["url"] as? String, url.hasSuffix("new-patient-ok"), let b = ext["valueBoolean"] as? Bool {
                return b
            }
        }
        return nil
    }
}
