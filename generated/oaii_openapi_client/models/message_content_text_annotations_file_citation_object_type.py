from enum import StrEnum

class MessageContentTextAnnotationsFileCitationObjectType(StrEnum):
    FILE_CITATION = "file_citation"

    def __str__(self) -> str:
        return str(self.value)
