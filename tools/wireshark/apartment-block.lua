-- Wireshark dissector for the apartment-voip block protocol (gateway <-> address manager).
-- UDP port 6767. Layout: doc/address-management.rst, model/block-protocol-header.h.
--   tshark -X lua_script:tools/wireshark/apartment-block.lua -r file.pcap
local p = Proto("apblock", "Apartment-VoIP block protocol")

local types = {
    [1] = "REQUEST", [2] = "GRANT", [3] = "RENEW", [4] = "RELEASE",
    [5] = "REPORT", [6] = "ACK", [7] = "NAK",
}
local reasons = {
    [0] = "none", [1] = "no free block", [2] = "unknown block",
    [3] = "bad request", [4] = "database unavailable",
}

local f = p.fields
f.version = ProtoField.uint8("apblock.version", "Version", base.DEC)
f.type = ProtoField.uint8("apblock.type", "Type", base.DEC, types)
f.reason = ProtoField.uint8("apblock.reason", "NAK reason", base.DEC, reasons)
f.length = ProtoField.uint8("apblock.prefix_length", "Block prefix length", base.DEC)
f.xid = ProtoField.uint32("apblock.xid", "Transaction ID", base.HEX)
f.holder = ProtoField.ipv4("apblock.holder", "Holder (gateway)")
f.building = ProtoField.uint16("apblock.building", "Building", base.DEC)
f.count = ProtoField.uint16("apblock.count", "Terminals needing an address", base.DEC)
f.address = ProtoField.ipv4("apblock.address", "Address")
f.lease = ProtoField.uint32("apblock.lease", "Lease (s)", base.DEC)

local bad_size = ProtoExpert.new("apblock.bad_size", "Block protocol message is not 24 bytes",
    expert.group.MALFORMED, expert.severity.ERROR)
local bad_version = ProtoExpert.new("apblock.bad_version", "Unknown block protocol version",
    expert.group.MALFORMED, expert.severity.ERROR)
p.experts = { bad_size, bad_version }

function p.dissector(buf, pinfo, tree)
    pinfo.cols.protocol = "APBLOCK"
    local t = tree:add(p, buf())
    if buf:len() ~= 24 then
        t:add_proto_expert_info(bad_size)
        return
    end
    t:add(f.version, buf(0, 1))
    if buf(0, 1):uint() ~= 1 then
        t:add_proto_expert_info(bad_version)
    end
    t:add(f.type, buf(1, 1))
    t:add(f.reason, buf(2, 1))
    t:add(f.length, buf(3, 1))
    t:add(f.xid, buf(4, 4))
    t:add(f.holder, buf(8, 4))
    t:add(f.building, buf(12, 2))
    t:add(f.count, buf(14, 2))
    t:add(f.address, buf(16, 4))
    t:add(f.lease, buf(20, 4))
    local name = types[buf(1, 1):uint()] or "unknown"
    local info = name .. " xid=0x" .. string.format("%08x", buf(4, 4):uint()) ..
        " holder=" .. tostring(buf(8, 4):ipv4())
    local ty = buf(1, 1):uint()
    if ty == 1 then
        info = info .. " building=" .. buf(12, 2):uint() .. " terminals=" .. buf(14, 2):uint()
    elseif ty == 7 then
        info = info .. " (" .. (reasons[buf(2, 1):uint()] or "?") .. ")"
    else
        info = info .. " " .. tostring(buf(16, 4):ipv4()) .. "/" .. buf(3, 1):uint()
    end
    pinfo.cols.info = info
end

DissectorTable.get("udp.port"):add(6767, p)
