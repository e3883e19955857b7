// The fake server's connection handler: assembles a request, records it, asks the routes for a plan and
// carries the plan out on the event loop (delays, chunks, dropped connections).

import NIOCore
import NIOHTTP1

final class FakeOllamaHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: FakeOllamaRoutes
    private let state: FakeOllamaServer.State

    private var requestHead: HTTPRequestHead?
    private var requestBody = ByteBuffer()
    /// The path of the request being answered, from its end until the reply's end.
    private var answering: String?
    private var isOpen = true

    init(routes: FakeOllamaRoutes, state: FakeOllamaServer.State) {
        self.routes = routes
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            requestBody.clear()
        case .body(var piece):
            requestBody.writeBuffer(&piece)
        case .end:
            guard let head = requestHead else { return }
            requestHead = nil
            respond(to: head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        state.closed(context.channel, during: answering)
        context.fireChannelInactive()
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        let bytes = Array(requestBody.readableBytesView)
        let request = FakeOllamaServer.RecordedRequest(
            method: head.method.rawValue, path: path, headers: headers, body: FakeJSON.parse(bytes),
            rawBody: String(decoding: bytes, as: UTF8.self))
        let faults = state.received(request, takesFaults: FakeOllamaRoutes.takesFaults(method: request.method, path: path))
        let plan = routes.plan(for: request, faults: faults)

        answering = path
        let keepAlive = head.isKeepAlive
        let version = head.version
        after(plan.firstByteDelay, context) { [self] in
            carryOut(plan, version: version, keepAlive: keepAlive, context: context)
        }
    }

    private func carryOut(_ plan: ResponsePlan, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard isOpen else { return }
        switch plan.body {
        case .close:
            context.close(promise: nil)
        case .whole(let status, let contentType, let text):
            var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(text.utf8.count))])
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
            if !plan.headOnly {
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            }
            finish(keepAlive: keepAlive, context: context)
        case .stream(let lines, let closeWithoutEnd):
            var headers = HTTPHeaders([("Content-Type", "application/x-ndjson"), ("Transfer-Encoding", "chunked")])
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.writeAndFlush(Self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
            send(lines[...], delay: plan.chunkDelay, closeWithoutEnd: closeWithoutEnd, keepAlive: keepAlive, context: context, first: true)
        }
    }

    private func send(
        _ lines: ArraySlice<String>, delay: Duration, closeWithoutEnd: Bool, keepAlive: Bool,
        context: ChannelHandlerContext, first: Bool
    ) {
        guard isOpen else { return }
        guard let line = lines.first else {
            if closeWithoutEnd {
                context.close(promise: nil)
            } else {
                finish(keepAlive: keepAlive, context: context)
            }
            return
        }
        after(first ? .zero : delay, context) { [self] in
            guard isOpen else { return }
            context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: line + "\n")))), promise: nil)
            send(lines.dropFirst(), delay: delay, closeWithoutEnd: closeWithoutEnd, keepAlive: keepAlive, context: context, first: false)
        }
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        answering = nil
        let closeAfterwards = !keepAlive
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if closeAfterwards { context.close(promise: nil) }
        }
    }

    /// Runs `body` on the event loop after `delay` (at once for zero).
    private func after(_ delay: Duration, _ context: ChannelHandlerContext, _ body: @escaping () -> Void) {
        guard delay > .zero else {
            body()
            return
        }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { body() }
    }
}
