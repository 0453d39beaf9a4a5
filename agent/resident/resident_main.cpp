#include "agent/resident/resident.h"

int main(int argc, char** argv) {
    return dk::residentMain(argc, argv);
}
