// Fresh identifiers for documents patchparty writes (an SBOM's serialNumber, a VEX @id).
#pragma once

#include <string>

namespace patchparty {

// An RFC 4122 version 4 UUID in its text form, "3e671687-395b-41f5-a30f-a58921a69b79".
std::string random_uuid();

}  // namespace patchparty
