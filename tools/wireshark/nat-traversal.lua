-- Wireshark dissector for the apartment-voip NAT detection and traversal protocol
-- (seed 003, packets P1-P7, plus ACCESS/ACCESS-ACK and the server->router KEEP/KEEP-ACK).
-- Layout: see doc/nat.rst. Load with: tshark -X lua_script:nat-traversal.lua
-- Ports: UDP 7070 (server), 7072 (client), 1023 (router agent); TCP 7070.

local proto = Proto("nattrav", "NAT Traversal (apartment-voip)")

local types = {
    [0x01] = "P1 user index",
    [0x02] = "P2 address list",
    [0x03] = "P3 used address",
    [0x04] = "P4 server ack",
    [0x05] = "P5 verdict",
    [0x06] = "P6 keepalive",
    [0x07] = "P7 server data",
    [0x10] = "ACCESS",
    [0x11] = "ACCESS-ACK",
    [0x20] = "KEEP",
    [0x21] = "KEEP-ACK",
}
local body_size = {
    [0x01] = 4, [0x03] = 5, [0x04] = 7, [0x05] = 8, [0x06] = 5, [0x07] = 9,
    [0x10] = 8, [0x11] = 5, [0x20] = 49, [0x21] = 7,
}
local statuses = { [0] = "ok", [1] = "no mapping", [2] = "refused", [3] = "foreign" }

local f = proto.fields
f.magic = ProtoField.uint16("nattrav.magic", "Magic", base.HEX)
f.version = ProtoField.uint8("nattrav.version", "Version")
f.type = ProtoField.uint8("nattrav.type", "Type", base.HEX, types)
f.length = ProtoField.uint16("nattrav.length", "Body length")
f.user = ProtoField.uint32("nattrav.user_index", "User index")
f.flag = ProtoField.uint8("nattrav.flag", "Private network / server flag")
f.address = ProtoField.ipv4("nattrav.address", "Address")
f.port = ProtoField.uint16("nattrav.port", "Port")
f.count = ProtoField.uint8("nattrav.count", "Address count")
f.listed = ProtoField.ipv4("nattrav.listed", "Valid address")
f.sequence = ProtoField.uint32("nattrav.sequence", "Sequence")
f.protocol = ProtoField.uint8("nattrav.protocol", "Protocol")
f.idle = ProtoField.uint16("nattrav.idle", "Idle seconds")
f.status = ProtoField.uint8("nattrav.status", "Status", base.DEC, statuses)
f.mac = ProtoField.bytes("nattrav.mac", "HMAC-SHA-256 (KeepKey, over all bytes before it)")
f.padding = ProtoField.bytes("nattrav.padding", "Padding (RTP-sized payload)")

local e_bad = ProtoExpert.new("nattrav.bad", "Malformed traversal message",
                              expert.group.MALFORMED, expert.severity.ERROR)
proto.experts = { e_bad }

-- Dissects one message at offset; returns its length, or nil if it is not one.
local function one(buf, offset, tree)
    local left = buf:len() - offset
    local t = buf(offset + 3, 1):uint()
    local len = buf(offset + 4, 2):uint()
    local total = 6 + len
    local name = types[t] or "unknown"
    local sub = tree:add(proto, buf(offset, math.min(total, left)), "NAT Traversal " .. name)
    sub:add(f.magic, buf(offset, 2))
    sub:add(f.version, buf(offset + 2, 1))
    sub:add(f.type, buf(offset + 3, 1))
    sub:add(f.length, buf(offset + 4, 2))
    local expected = body_size[t]
    if types[t] == nil or total > left or (expected ~= nil and len ~= expected) then
        sub:add_proto_expert_info(e_bad)
        return nil
    end
    local b = offset + 6
    if t == 0x01 then
        sub:add(f.user, buf(b, 4))
    elseif t == 0x02 then
        if len < 5 then sub:add_proto_expert_info(e_bad) return nil end
        sub:add(f.user, buf(b, 4))
        local n = buf(b + 4, 1):uint()
        sub:add(f.count, buf(b + 4, 1))
        if len ~= 5 + 4 * n then sub:add_proto_expert_info(e_bad) return nil end
        for i = 0, n - 1 do sub:add(f.listed, buf(b + 5 + 4 * i, 4)) end
    elseif t == 0x03 or t == 0x06 then
        sub:add(f.flag, buf(b, 1))
        sub:add(f.user, buf(b + 1, 4))
    elseif t == 0x04 then
        sub:add(f.flag, buf(b, 1))
        sub:add(f.address, buf(b + 1, 4))
        sub:add(f.port, buf(b + 5, 2))
    elseif t == 0x05 or t == 0x10 then
        sub:add(f.user, buf(b, 4))
        sub:add(f.address, buf(b + 4, 4)) -- 0.0.0.0 is NULL in P5
    elseif t == 0x07 then
        sub:add(f.flag, buf(b, 1))
        sub:add(f.address, buf(b + 1, 4))
        sub:add(f.sequence, buf(b + 5, 4))
    elseif t == 0x11 then
        sub:add(f.flag, buf(b, 1))
        sub:add(f.address, buf(b + 1, 4))
    elseif t == 0x20 then
        sub:add(f.protocol, buf(b, 1))
        sub:add(f.address, buf(b + 1, 4))
        sub:add(f.port, buf(b + 5, 2))
        sub:add(f.idle, buf(b + 7, 2))
        sub:add(f.user, buf(b + 9, 4))
        sub:add(f.sequence, buf(b + 13, 4))
        sub:add(f.mac, buf(b + 17, 32))
    elseif t == 0x21 then
        sub:add(f.status, buf(b, 1))
        sub:add(f.address, buf(b + 1, 4))
        sub:add(f.port, buf(b + 5, 2))
    end
    return total, name
end

function proto.dissector(buf, pinfo, tree)
    local offset = 0
    local names = {}
    local is_tcp = pinfo.port_type == 2 -- PT_TCP
    while offset < buf:len() do
        local left = buf:len() - offset
        if left < 6 then
            if is_tcp then
                pinfo.desegment_offset = offset
                pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
                return
            end
            tree:add(proto, buf(offset)):add_proto_expert_info(e_bad)
            break
        end
        if buf(offset, 2):uint() ~= 0x4E54 then
            if offset == 0 then return 0 end
            tree:add(proto, buf(offset)):add_proto_expert_info(e_bad)
            break
        end
        local total = 6 + buf(offset + 4, 2):uint()
        if is_tcp and total > left then
            pinfo.desegment_offset = offset
            pinfo.desegment_len = total - left
            return
        end
        local used, name = one(buf, offset, tree)
        if used == nil then break end
        names[#names + 1] = name
        offset = offset + used
        if not is_tcp then
            if offset < buf:len() then
                tree:add(f.padding, buf(offset))
            end
            break
        end
    end
    pinfo.cols.protocol = "NATTRAV"
    pinfo.cols.info = table.concat(names, ", ")
end

local udp = DissectorTable.get("udp.port")
udp:add(7070, proto)
udp:add(7072, proto)
udp:add(1023, proto)
DissectorTable.get("tcp.port"):add(7070, proto)
